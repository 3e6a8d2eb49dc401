using System.Net;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;

namespace Aida.Tests.Features.Interactions.Email;

/// <summary>Issue 19 item 4's templates: placeholders checked at save, CRUD, and a preview rendered for a chosen contact.</summary>
public sealed class EmailTemplatesApiTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_WithAnUnknownPlaceholder_Is400NamingTheFieldAndThePlaceholder(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);

        var html = await (await app.Client.PostJsonAsync("/api/v1/email-templates", new { name = Builders.Unique("T"), subject = "Hi", bodyHtml = "<p>{{contact.nickname}}</p>" }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "bodyHtml");
        var subject = await (await app.Client.PostJsonAsync("/api/v1/email-templates", new { name = Builders.Unique("T"), subject = "Hi {{ contact.firstName", bodyText = "x" }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "subject");
        await (await app.Client.PostJsonAsync("/api/v1/email-templates", new { name = Builders.Unique("T"), subject = "Hi" }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "bodyText");

        Assert.Contains("{{contact.nickname}}", html.GetProperty("errors").GetProperty("bodyHtml")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("{{", subject.GetProperty("errors").GetProperty("subject")[0].GetString(), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Templates_CreateChangeListDelete(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var name = Builders.Unique("Welcome ");
        var created = await app.Client.PostJsonAsync("/api/v1/email-templates", new { name, subject = "Welcome, {{contact.firstName}}", bodyText = "Hello from {{user.name}}" });
        var template = await created.ExpectAsync(HttpStatusCode.Created);
        var url = created.Headers.Location!.ToString();

        await (await app.Client.PostJsonAsync("/api/v1/email-templates", new { name = name.ToUpperInvariant(), subject = "x", bodyText = "x" }))
            .ExpectProblemAsync(HttpStatusCode.Conflict);
        var stale = await app.Client.PatchJsonAsync(url, new { subject = "x" }, "\"99\"");
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        var changed = await (await app.Client.PatchJsonAsync(url, new { bodyHtml = "<p>Hello {{contact.name}}</p>" }, created.ETag())).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("<p>Hello {{contact.name}}</p>", changed.Str("bodyHtml"));
        Assert.Equal("Hello from {{user.name}}", changed.Str("bodyText"));

        var list = await (await app.Client.GetAsync("/api/v1/email-templates")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(list.Items(), t => t.Id() == template.Id());

        var current = await app.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.NoContent, (await app.Client.DeleteAsync(url, current.ETag())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync(url)).StatusCode);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Preview_OfATemplate_RendersForTheContactEscapingHtmlOnly(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (customerId, contactId, email) = await app.CustomerWithContactAsync(name: "Ben & <i>Jerry</i> " + Builders.Unique(""), firstName: "Ann");
        var template = await (await app.Client.PostJsonAsync("/api/v1/email-templates", new
        {
            name = Builders.Unique("T"),
            subject = "For {{contact.firstName}} at {{customer.name}}",
            bodyText = "{{customer.name}} / {{contact.email}}",
            bodyHtml = "<p>{{customer.name}}</p>",
        })).ExpectAsync(HttpStatusCode.Created);

        var preview = await (await app.Client.PostJsonAsync("/api/v1/emails/preview", new { customerId, to = email, templateId = template.Id() }))
            .ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(contactId, preview.GetProperty("contactId").GetGuid());
        Assert.StartsWith("For Ann at Ben & <i>Jerry</i>", preview.Str("subject"), StringComparison.Ordinal);
        Assert.StartsWith("Ben & <i>Jerry</i>", preview.Str("bodyText"), StringComparison.Ordinal);
        Assert.EndsWith("/ " + email, preview.Str("bodyText"), StringComparison.Ordinal);
        Assert.StartsWith("<p>Ben &amp; &lt;i&gt;Jerry&lt;/i&gt;", preview.Str("bodyHtml"), StringComparison.Ordinal);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, preview.GetProperty("refusal").ValueKind);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Send_ToAContactOutOfReach_IsRefusedAndAViewerMayNotSend(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (_, contactId, _) = await app.CustomerWithContactAsync();
        var (_, outsider) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id);
        var (_, viewer) = await app.UserAsync(Role.Viewer);

        await (await outsider.PostJsonAsync("/api/v1/emails", new { contactId, subject = "Hi", bodyText = "Hi" })).ExpectProblemAsync(HttpStatusCode.BadRequest, "contactId");
        await (await outsider.PostJsonAsync("/api/v1/emails/preview", new { contactId, subject = "Hi", bodyText = "Hi" })).ExpectProblemAsync(HttpStatusCode.BadRequest, "contactId");
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostJsonAsync("/api/v1/emails", new { contactId, subject = "Hi", bodyText = "Hi" })).StatusCode);
    }
}
