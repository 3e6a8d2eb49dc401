using System.Net;
using Aida.Features.Leads;
using Aida.Features.Leads.Forms;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Leads.Pages;

/// <summary>
/// The lead list, the new-lead form and the web-form designer through the no-JS browser. The list and the
/// designer are checked whole (every lead a manager reaches, every form), so those tests have a server of
/// their own; the new-lead tests share the class's, counting from their start.
/// </summary>
public sealed class LeadPagesTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    private const string Password = "a long enough password";

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task LeadList_ShowsLeadsWithScoreAndAssignee_AndFilters(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        var (manager, _) = await app.UserAsync(Role.Manager, password: Password);
        var (rep, _) = await app.UserAsync(Role.Rep, (await app.TeamAsync(manager.Id)).Id);
        var mine = await (await app.Client.PostJsonAsync("/api/v1/leads", new { firstName = "Ann", lastName = "Perkins", email = "ann@example.com", sourceType = "referral", assignedTo = rep.Id }))
            .ExpectAsync(HttpStatusCode.Created);
        await (await app.Client.PostJsonAsync("/api/v1/leads", new { firstName = "Chris", lastName = "Traeger", email = "chris@example.com", sourceType = "website" })).ExpectAsync(HttpStatusCode.Created);
        await app.QueryAsync(d => d.Set<Lead>().Where(l => l.Id == mine.Id()).ExecuteUpdateAsync(s => s.SetProperty(l => l.Score, 72)));
        using var browser = await PageBrowser.SignedInAsync(app, manager, Password);

        var list = await browser.OpenAsync("/leads");
        var filtered = await browser.OpenAsync("/leads?sourceType=referral&minScore=50");
        var bad = await browser.OpenAsync("/leads?minScore=lots");

        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.Equal("Leads", list.Text("h1"));
        Assert.Contains("Leads", list.Texts("nav.primary a"));
        Assert.Equal(["Chris Traeger", "Ann Perkins"], list.Texts("table.list tbody td:first-child a"));
        Assert.Equal($"/leads/{mine.Id()}", list.Document.QuerySelector("table.list tbody tr:last-child td a")!.GetAttribute("href"));
        var annRow = list.Texts("table.list tbody tr:last-child td");
        Assert.Equal("72", annRow[2]);
        Assert.Equal("Active", annRow[3]);
        Assert.Equal(rep.DisplayName, annRow[5]);
        Assert.Equal("Referral", annRow[6]);
        Assert.Equal(["Ann Perkins"], filtered.Texts("table.list tbody td:first-child a"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.NotNull(bad.Document.QuerySelector(".error-summary a[href='#f-minScore']"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task NewLead_CapturesThroughTheApiHandler_AndRefusesBadInputKeepingIt(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var leadsBefore = await app.QueryAsync(d => d.Set<Lead>().CountAsync());
        // A manager: with no routing rules the lead waits in the unassigned pool, which a rep does not reach.
        var (rep, _) = await app.UserAsync(Role.Manager, password: Password);
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);
        var form = await browser.OpenAsync("/leads/new");

        var refused = await browser.SubmitAsync(form, "form[action='/leads/new']", new() { ["firstName"] = "Tom", ["email"] = "not-an-address", ["budgetAmount"] = "lots" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.NotNull(refused.FieldError("budgetAmount"));
        Assert.Equal("Tom", refused.Document.QuerySelector("#f-firstName")!.GetAttribute("value"));
        refused = await browser.SubmitAsync(form, "form[action='/leads/new']", new() { ["firstName"] = "Tom", ["email"] = "not-an-address" });
        Assert.NotNull(refused.FieldError("email"));
        Assert.Equal(leadsBefore, await app.QueryAsync(d => d.Set<Lead>().CountAsync()));

        var saved = await browser.SubmitAsync(form, "form[action='/leads/new']", new()
        {
            ["firstName"] = "Tom", ["lastName"] = "Haverford", ["email"] = "tom@example.com", ["company"] = "Entertainment 720",
            ["budgetAmount"] = "2500", ["budgetCurrency"] = "usd", ["timeline"] = "this_quarter",
        });
        Assert.Equal(leadsBefore + 1, await app.QueryAsync(d => d.Set<Lead>().CountAsync()));
        var lead = await app.QueryAsync(d => d.Set<Lead>().SingleAsync(l => l.CreatedBy == rep.Id));
        Assert.EndsWith($"/leads/{lead.Id}", saved.Url, StringComparison.Ordinal);
        Assert.Equal("Entertainment 720", lead.Company);
        Assert.Equal(LeadSourceType.Phone, lead.SourceType);
        Assert.Equal(2500m, lead.BudgetAmount);
        Assert.Equal(rep.Id, lead.CreatedBy);

        var again = await browser.SubmitAsync(await browser.OpenAsync("/leads/new"), "form[action='/leads/new']", new() { ["email"] = "TOM@example.com", ["jobTitle"] = "Founder" });
        Assert.EndsWith($"/leads/{lead.Id}", again.Url, StringComparison.Ordinal);
        Assert.Equal(leadsBefore + 1, await app.QueryAsync(d => d.Set<Lead>().CountAsync()));
        Assert.Equal(2, await app.QueryAsync(d => d.Set<Lead>().Where(l => l.Id == lead.Id).Select(l => l.CaptureCount).SingleAsync()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task NewLead_OfAnotherTeamsLead_SaysOnlyThatItWasRecorded_AsForANewLeadOutOfReach(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (repA, repAApi) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id);
        var (repB, _) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id, password: Password);
        var email = $"{Builders.Unique("known")}@example.com";
        var lead = await app.Client.CreateLeadAsync(new { firstName = "Known", email, assignedTo = repA.Id });
        using var browser = await PageBrowser.SignedInAsync(app, repB, Password);

        var known = await browser.SubmitAsync(await browser.OpenAsync("/leads/new"), "form[action='/leads/new']", new() { ["email"] = email, ["needs"] = "A quote" });
        var unknown = await browser.SubmitAsync(await browser.OpenAsync("/leads/new"), "form[action='/leads/new']", new() { ["email"] = $"{Builders.Unique("new")}@example.com" });

        Assert.EndsWith("/leads", known.Url, StringComparison.Ordinal);
        Assert.Equal("The capture was recorded. It is filed where you cannot see it.", known.Flash);
        Assert.Equal(unknown.Url, known.Url);
        Assert.Equal(unknown.Flash, known.Flash);
        Assert.DoesNotContain(lead.Id().ToString(), known.Html, StringComparison.OrdinalIgnoreCase);
        var touch = Assert.Single((await (await repAApi.GetAsync($"/api/v1/leads/{lead.Id()}/interactions")).ExpectAsync(HttpStatusCode.OK)).Items());
        Assert.Equal(repB.Id, touch.GetProperty("createdBy").GetGuid());
        Assert.Equal("inbound", touch.Str("direction"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task FormDesigner_CreatesAFormAndShowsItsSnippet_ForAdminsOnly(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        var (admin, _) = await app.UserAsync(Role.Admin, password: Password);
        var (rep, _) = await app.UserAsync(Role.Rep, password: Password);
        using var browser = await PageBrowser.SignedInAsync(app, admin, Password);

        var list = await browser.OpenAsync("/settings/forms");
        Assert.Contains("Web forms", list.Texts("nav.primary a"));
        var draft = await browser.OpenAsync("/settings/forms/new");
        var refused = await browser.SubmitAsync(draft, "form[action='/settings/forms/new']", new()
        {
            ["name"] = "Quote request", ["include.email"] = null, ["include.phone"] = null, ["allowedOrigins"] = "https://shop.example.com/path",
        });
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains("email address or a phone number", refused.Text(".error-summary"), StringComparison.Ordinal);
        Assert.Equal(0, await app.QueryAsync(d => d.Set<LeadForm>().CountAsync()));

        var created = await browser.SubmitAsync(draft, "form[action='/settings/forms/new']", new()
        {
            ["name"] = "Quote request",
            ["include.company"] = "true",
            ["required.company"] = "true",
            ["label.company"] = "Your business",
            ["allowedOrigins"] = "https://shop.example.com\nhttps://www.example.com",
            ["successRedirectUrl"] = "https://shop.example.com/thanks",
        });
        var form = await app.QueryAsync(d => d.Set<LeadForm>().SingleAsync());
        Assert.EndsWith($"/settings/forms/{form.Id}", created.Url, StringComparison.Ordinal);
        Assert.Equal(["firstName", "lastName", "email", "company", "message"], form.FieldList.Select(f => f.Name));
        Assert.Equal("Your business", form.FieldList.Single(f => f.Name == "company").Label);
        Assert.True(form.FieldList.Single(f => f.Name == "company").Required);
        Assert.Equal(["https://shop.example.com", "https://www.example.com"], form.OriginList);
        var snippet = created.Text("pre code");
        Assert.Contains($"action=\"{app.Address.GetLeftPart(UriPartial.Authority)}/f/{form.Key}\"", snippet, StringComparison.Ordinal);
        Assert.Contains("Your business</label>", snippet, StringComparison.Ordinal);
        Assert.Contains("Copy this HTML", created.Text("section.card p"), StringComparison.Ordinal);

        var edited = await browser.SubmitAsync(created, $"form[action='/settings/forms/{form.Id}']", new() { ["name"] = "Quote form", ["isActive"] = null });
        Assert.Equal("The web form was saved.", edited.Flash);
        var stored = await app.QueryAsync(d => d.Set<LeadForm>().SingleAsync());
        Assert.Equal("Quote form", stored.Name);
        Assert.False(stored.IsActive);
        Assert.Equal(form.Key, stored.Key);
        Assert.Equal("Quote form", (await browser.OpenAsync("/settings/forms")).Text("table.list tbody td a"));

        using var repBrowser = await PageBrowser.SignedInAsync(app, rep, Password);
        Assert.Equal(HttpStatusCode.Forbidden, (await repBrowser.OpenAsync("/settings/forms")).Status);
        Assert.DoesNotContain("Web forms", (await repBrowser.OpenAsync("/leads")).Texts("nav.primary a"));
    }
}
