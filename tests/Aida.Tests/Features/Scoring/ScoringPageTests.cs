using System.Net;
using Aida.Features.Scoring;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Scoring;

/// <summary>The ScoringRules and HealthDashboard screens, and the Scores tab of the customer page, through the pages without scripts.</summary>
public sealed class ScoringPageTests(ScoringFixture fixture) : IClassFixture<ScoringFixture>
{
    private const string Password = "a long enough password";

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task TheScoringRulesScreen_SavesGoodRules_RefusesBadOnesWhole_AndIsAnAdministratorsOnly(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (admin, _) = await app.UserAsync(Role.Admin, password: Password);
        using var browser = await PageBrowser.SignedInAsync(app, admin, Password);
        var page = await browser.OpenAsync("/settings/scoring");
        Assert.Equal("0.2", page.Document.QuerySelector("input[name='weights.health.sentiment']")?.GetAttribute("value"));
        Assert.Equal(5, page.Document.QuerySelectorAll("#grades tbody tr").Length);
        var before = await (await app.Client.GetAsync("/api/v1/scoring/rules")).ExpectAsync(HttpStatusCode.OK);

        var refused = await browser.SubmitAsync(page, "#scoring-rules", new() { ["weights.health.sentiment"] = "-1", ["alertBelow"] = "50", ["atRiskBelow"] = "50" });
        Assert.Contains("Must be a number from 0 to 100", refused.Flash, StringComparison.Ordinal);
        var unchanged = await (await app.Client.GetAsync("/api/v1/scoring/rules")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(before.GetRawText(), unchanged.GetRawText());

        var saved = await browser.SubmitAsync(page, "#scoring-rules", new() { ["escalateBelow"] = "15" });
        Assert.StartsWith("The scoring rules were saved", saved.Flash, StringComparison.Ordinal);
        Assert.Equal("15", saved.Document.QuerySelector("input[name='escalateBelow']")?.GetAttribute("value"));
        var restored = await browser.SubmitAsync(saved, "#scoring-rules", new() { ["escalateBelow"] = before.GetProperty("thresholds").GetProperty("escalateBelow").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.StartsWith("The scoring rules were saved", restored.Flash, StringComparison.Ordinal);

        var (rep, _) = await app.UserAsync(Role.Rep, password: Password);
        using var repBrowser = await PageBrowser.SignedInAsync(app, rep, Password);
        Assert.Equal(HttpStatusCode.Forbidden, (await repBrowser.OpenAsync("/settings/scoring")).Status);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task TheHealthDashboard_ListsOnlyAtRiskCustomersInReach_AndTheScoresTabWarnsWhenStale(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repApi) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id, password: Password);
        var (_, otherApi) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id);
        var mine = Builders.Unique("Mine ");
        var theirs = Builders.Unique("Theirs ");
        var myId = (await repApi.CreateIndividualAsync(mine)).Id();
        var theirId = (await otherApi.CreateIndividualAsync(theirs)).Id();
        foreach (var (client, id) in new[] { (repApi, myId), (otherApi, theirId) })
        {
            await client.LogInteractionAsync(id, "negative", DateTime.UtcNow.AddDays(-200));
            await client.RecalculateAsync(id);
        }

        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);
        var dashboard = await browser.OpenAsync("/health");
        Assert.Equal(HttpStatusCode.OK, dashboard.Status);
        Assert.Contains(mine, dashboard.Text("#at-risk"), StringComparison.Ordinal);
        Assert.DoesNotContain(theirs, dashboard.Html, StringComparison.Ordinal);
        Assert.Equal("1", dashboard.Text("#grade-D .count"));
        Assert.StartsWith("1 customers scored", dashboard.Text("#scored"), StringComparison.Ordinal);

        await app.QueryAsync(d => d.Set<CustomerScore>().Where(s => s.CustomerId == myId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.CalculatedAt, DateTime.UtcNow.AddDays(-9))));
        var tab = await browser.OpenAsync($"/customers/{myId}?tab=scores");
        Assert.NotNull(tab.Document.QuerySelector("#score-health"));
        Assert.Contains("Stale", tab.Text("#score-health"), StringComparison.Ordinal);
        var recalculated = await browser.SubmitAsync(tab, $"form[action$='/customers/{myId}/scores/recalculate']");
        Assert.Equal("The scores were recalculated.", recalculated.Flash);
        Assert.DoesNotContain("Stale", recalculated.Text("#score-health"), StringComparison.Ordinal);
    }
}
