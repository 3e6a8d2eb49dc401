using System.Net;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;

namespace Aida.Tests.Features.Leads.Pages;

/// <summary>
/// The lead page and the lead settings screens through the no-JS browser. Scoring and routing rules apply to
/// every lead (and rescoring counts every lead), so the tests that add them have a server of their own; the
/// others share the class's.
/// </summary>
public sealed class LeadDetailPagesTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    private const string Password = "a long enough password";

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task LeadPage_ShowsTheScoreBreakdown_AndTheRoutingReason(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        var team = await app.TeamAsync();
        var (rep, _) = await app.UserAsync(Role.Rep, team.Id, password: Password);
        await app.Client.AddScoringRuleAsync("UK", "demographic", new { field = "country", @operator = "equals", value = "GB" }, 30);
        await app.Client.AddScoringRuleAsync("Decides", "bant", new { field = "authority", @operator = "equals", value = "decision_maker" }, 42);
        await app.Client.AddRoutingRuleAsync(new { name = "UK web", countries = new[] { "GB" }, action = "round_robin", teamId = team.Id, openLeadCap = 20 });
        var lead = await app.Client.CreateLeadAsync(new { firstName = "Rosa", lastName = "Diaz", email = "rosa@diaz.example", country = "GB", authority = "decision_maker" });
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);

        var page = await browser.OpenAsync($"/leads/{lead.Id()}");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("Rosa Diaz", page.Text("h1"));
        Assert.Equal("Score 72 of 100", page.Text("#score-heading"));
        var rows = page.Document.QuerySelectorAll(".score-breakdown tbody tr").Select(r => r.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToArray()).ToList();
        Assert.Equal([["UK", "Demographic", "+30"], ["Decides", "Bant", "+42"]], rows);
        Assert.Equal($"Rule 'UK web': round robin in team {team.Name}, to {rep.DisplayName} (0 open of cap 20).", page.Text(".routing-reason"));
        Assert.Equal($"/leads/{lead.Id()}/convert", page.Document.QuerySelector("a[href$='/convert']")?.GetAttribute("href"));

        var (stranger, _) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id, password: Password);
        using var other = await PageBrowser.SignedInAsync(app, stranger, Password);
        Assert.Equal(HttpStatusCode.NotFound, (await other.OpenAsync($"/leads/{lead.Id()}")).Status);
        var token = PageBrowser.FormFields((AngleSharp.Html.Dom.IHtmlFormElement)(await other.OpenAsync("/account/profile")).Document.QuerySelector("form[action='/signout']")!);
        var forged = await other.PostAsync($"/leads/{lead.Id()}/disqualify", [.. token, new("disqualifyReason", "not mine")]);
        Assert.Equal(HttpStatusCode.NotFound, forged.Status);
        Assert.Equal("unqualified", (await app.Client.LeadAsync(lead.Id())).Str("qualificationStatus"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task LoggingATouch_ThroughThePage_ConnectsTheLead(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repApi) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id, password: Password);
        var lead = await app.Client.CreateLeadAsync(new { email = "t@firm.example", assignedTo = rep.Id });
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);
        var page = await browser.OpenAsync($"/leads/{lead.Id()}");

        var refused = await browser.SubmitAsync(page, "form.log-touch", new() { ["direction"] = "sideways" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.NotNull(refused.FieldError("direction"));

        var logged = await browser.SubmitAsync(page, "form.log-touch", new() { ["interactionType"] = "call", ["direction"] = "outbound", ["subject"] = "Intro call", ["outcome"] = "left_message" });

        Assert.Equal("The touch was logged.", logged.Flash);
        Assert.Contains("Intro call", logged.Text(".touch-list li.touch-outbound"), StringComparison.Ordinal);
        Assert.Equal("1", logged.Text(".follow-up-count"));
        var stored = await repApi.LeadAsync(lead.Id());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, stored.GetProperty("connectedAt").ValueKind);
        Assert.Single(await app.EventsAsync("lead.connected", lead.Id()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task DisqualifyForm_NeedsAReason_ThenDisqualifies(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repApi) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id, password: Password);
        var lead = await app.Client.CreateLeadAsync(new { email = "d@firm.example", assignedTo = rep.Id });
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);
        var page = await browser.OpenAsync($"/leads/{lead.Id()}");

        var refused = await browser.SubmitAsync(page, "form.disqualify", new() { ["disqualifyReason"] = " " });
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal("Is required.", refused.FieldError("disqualifyReason"));
        Assert.Equal("unqualified", (await repApi.LeadAsync(lead.Id())).Str("qualificationStatus"));

        var done = await browser.SubmitAsync(refused, "form.disqualify", new() { ["disqualifyReason"] = "No budget this year" });
        Assert.Equal("The lead is disqualified.", done.Flash);
        Assert.Equal("Disqualified", done.Text(".lead-qualification"));
        var stored = await repApi.LeadAsync(lead.Id());
        Assert.Equal(("disqualified", "No budget this year"), (stored.Str("qualificationStatus"), stored.Str("qualificationReason")));

        var lost = await browser.SubmitAsync(done, "form.lose", new() { ["lostReason"] = "Chose a competitor" });
        Assert.Equal("The lead is marked as lost.", lost.Flash);
        Assert.Equal("Lost", lost.Text(".lead-status"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task SettingsScreens_AreForAdminsOnly_AndAddRulesThroughTheApiHandlers(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        var team = await app.TeamAsync();
        var (manager, _) = await app.UserAsync(Role.Manager, password: Password);
        var (admin, _) = await app.UserAsync(Role.Admin, password: Password);
        var lead = await app.Client.CreateLeadAsync(new { email = "s@firm.example", jobTitle = "Owner" });
        using (var managerBrowser = await PageBrowser.SignedInAsync(app, manager, Password))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await managerBrowser.OpenAsync("/settings/lead-scoring")).Status);
            Assert.Equal(HttpStatusCode.Forbidden, (await managerBrowser.OpenAsync("/settings/lead-routing")).Status);
        }

        using var browser = await PageBrowser.SignedInAsync(app, admin, Password);
        var scoring = await browser.OpenAsync("/settings/lead-scoring");
        var refused = await browser.SubmitAsync(scoring, "form.scoring-rule", new() { ["name"] = "Owner", ["condition.field"] = "jobTitle", ["condition.operator"] = "is_true", ["points"] = "20" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.NotNull(refused.FieldError("condition.operator"));

        var added = await browser.SubmitAsync(refused, "form.scoring-rule", new() { ["condition.operator"] = "contains", ["condition.value"] = "owner" });
        Assert.Equal("The rule was added; 1 of 1 leads changed score.", added.Flash);
        Assert.Equal(["Owner"], added.Texts(".scoring-rules tbody td:first-child"));
        Assert.Equal(20, (await app.Client.LeadAsync(lead.Id())).Score());

        var routing = await browser.OpenAsync("/settings/lead-routing");
        var routed = await browser.SubmitAsync(routing, "form.routing-rule", new() { ["name"] = "Web", ["sourceTypes"] = "website", ["countries"] = "gb, ie", ["action"] = "round_robin", ["teamId"] = team.Id.ToString(), ["openLeadCap"] = "10" });
        Assert.Equal("The routing rule was added.", routed.Flash);
        var rule = (await (await app.Client.GetAsync("/api/v1/lead-routing-rules")).ExpectAsync(HttpStatusCode.OK)).Items().Single();
        Assert.Equal(["GB", "IE"], rule.GetProperty("countries").EnumerateArray().Select(c => c.GetString()!).ToArray());
        Assert.Equal(["website"], rule.GetProperty("sourceTypes").EnumerateArray().Select(c => c.GetString()!).ToArray());
        Assert.Equal(10, rule.GetProperty("openLeadCap").GetInt32());
    }
}
