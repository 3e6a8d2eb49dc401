using System.Net;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;

namespace Aida.Tests.Features.Interactions.Email;

/// <summary>The email screens through the no-JS browser: compose from the customer page with a template and a preview, and the templates screen.</summary>
public sealed class EmailPagesTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    private const string Password = "a long enough password";

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Compose_UseTemplatePreviewSend_QueuesTheEmailOnTheTimeline(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repApi) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id, password: Password);
        var name = "Ben & <i>Jerry</i> " + Builders.Unique("");
        var customer = await repApi.CreateOrganizationAsync(name, primaryContact: new { firstName = "Ann", lastName = "Lee", email = $"{Builders.Unique("ann")}@x.example" });
        var templateName = Builders.Unique("Intro ");
        await (await repApi.PostJsonAsync("/api/v1/email-templates", new { name = templateName, subject = "Hello {{contact.firstName}}", bodyText = "About {{customer.name}}", bodyHtml = "<p>{{customer.name}}</p>" }))
            .ExpectAsync(HttpStatusCode.Created);
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);

        var timeline = await browser.OpenAsync($"/customers/{customer.Id()}?tab=timeline");
        Assert.Contains(timeline.Document.QuerySelectorAll("a.button"), a => a.GetAttribute("href") == $"/customers/{customer.Id()}/emails/new");
        var compose = await browser.OpenAsync($"/customers/{customer.Id()}/emails/new");
        var templateId = compose.Document.QuerySelectorAll("select[name=templateId] option").Single(o => o.TextContent == templateName).GetAttribute("value");
        var filled = await browser.SubmitAsync(compose, "form[action$='/emails/new']", new() { ["templateId"] = templateId }, "button[value=template]");
        Assert.Equal("Hello {{contact.firstName}}", filled.Document.QuerySelector("input[name=subject]")!.GetAttribute("value"));

        var preview = await browser.SubmitAsync(filled, "form[action$='/emails/new']", null, "button[value=preview]");
        Assert.Equal(HttpStatusCode.OK, preview.Status);
        Assert.Contains("Hello Ann", preview.Text("section.email-preview"), StringComparison.Ordinal);
        Assert.Contains("About " + name, preview.Text("pre.email-text"), StringComparison.Ordinal);
        Assert.StartsWith("<p>Ben &amp; &lt;i&gt;Jerry&lt;/i&gt;", preview.Document.QuerySelector("iframe.email-html")!.GetAttribute("srcdoc"), StringComparison.Ordinal);

        var sent = await browser.SubmitAsync(preview, "form[action$='/emails/new']", null, "button[value=send]");
        Assert.Equal(HttpStatusCode.OK, sent.Status);
        Assert.StartsWith("The email is queued.", sent.Flash, StringComparison.Ordinal);
        Assert.Contains("Email queued", sent.Text("li.entry-interaction"), StringComparison.Ordinal);
        Assert.Contains("no SMTP host is configured", sent.Text("li.entry-interaction"), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task TemplateEditor_UnknownPlaceholder_KeepsWhatWasTyped_ThenSavesAndLists(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, _) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id, password: Password);
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);
        var name = Builders.Unique("Renewal ");

        var form = await browser.OpenAsync("/email-templates/new");
        var refused = await browser.SubmitAsync(form, "form[action='/email-templates/new']", new()
        {
            ["name"] = name, ["subject"] = "Renewal for {{customer.nam}}", ["bodyText"] = "Dear {{contact.firstName}}",
        }, "button[value=save]");
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains("{{customer.nam}}", refused.Html, StringComparison.Ordinal);
        Assert.Equal("Renewal for {{customer.nam}}", refused.Document.QuerySelector("input[name=subject]")!.GetAttribute("value"));

        var preview = await browser.SubmitAsync(refused, "form[action='/email-templates/new']", new() { ["subject"] = "Renewal for {{customer.name}}" }, "button[value=preview]");
        Assert.Contains("Renewal for Example & Sons Ltd", preview.Text("section.email-preview"), StringComparison.Ordinal);

        var saved = await browser.SubmitAsync(preview, "form[action='/email-templates/new']", null, "button[value=save]");
        Assert.Equal("The template was saved.", saved.Flash);
        Assert.Contains(name, saved.Texts("table a"));
    }
}
