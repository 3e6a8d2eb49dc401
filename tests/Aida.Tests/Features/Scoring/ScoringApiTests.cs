using System.Net;
using System.Text.Json;
using Aida.Features.Deals;
using Aida.Features.Interactions;
using Aida.Features.Interactions.Activities;
using Aida.Features.Scoring;
using Aida.Platform.Auth;
using Aida.Platform.Events;
using Aida.Tests.Features.Deals;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Scoring;

/// <summary>
/// Customer scores through the API (spec 002 Score, WF-LC-002): factors moving their scores, insufficient
/// data, stale scores, the rules and their validation, health crossing thresholds both ways (events,
/// notifications, the At Risk move and back), resumable full runs and the dashboard's reach.
/// </summary>
public sealed class ScoringApiTests(ScoringFixture fixture) : IClassFixture<ScoringFixture>
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ACustomerWithNoData_GetsTheDefaultScore_FlaggedInsufficient_AndNothingCrosses(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var id = (await app.Client.CreateIndividualAsync()).Id();
        Assert.Empty((await (await app.Client.GetAsync($"/api/v1/customers/{id}/scores")).ExpectAsync(HttpStatusCode.OK)).GetProperty("scores").EnumerateArray());

        var scores = await app.Client.RecalculateAsync(id);

        var all = scores.GetProperty("scores").EnumerateArray().ToList();
        Assert.Equal(new[] { "health", "engagement", "value", "churn_risk", "upsell_potential" }, all.Select(s => s.Str("scoreType")));
        Assert.All(all, s =>
        {
            Assert.Equal(50, s.GetProperty("scoreValue").GetInt32());
            Assert.Equal("C", s.Str("grade"));
            Assert.True(s.GetProperty("insufficientData").GetBoolean());
            Assert.False(s.GetProperty("isStale").GetBoolean());
        });
        await app.Client.RecalculateAsync(id);
        Assert.Equal(0, await app.QueryAsync(d => d.Set<OutboxEvent>().IgnoreQueryFilters().CountAsync(e => e.CustomerId == id && e.Type == "score.threshold_crossed")));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task EachFactor_MovesItsScores_AndTheBreakdownShowsIt(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (_, rep) = await app.UserAsync(Role.Rep);
        var id = await rep.CustomerInStageAsync();
        await rep.LogInteractionAsync(id, "neutral");
        var start = await rep.RecalculateAsync(id);
        Assert.False(start.Score("health").GetProperty("insufficientData").GetBoolean());
        Assert.Equal(50, start.Raw("health", "sentiment"));
        Assert.Equal(100, start.Raw("health", "overdueActivities"));
        var factors = start.Score("health").GetProperty("factors");
        Assert.Equal(start.Value("health"), (int)Math.Round(factors.EnumerateObject().Sum(f => f.Value.GetProperty("weighted").GetDouble()), MidpointRounding.AwayFromZero));

        // Sentiment: a positive interaction lifts it.
        await rep.LogInteractionAsync(id, "positive");
        var happier = await rep.RecalculateAsync(id);
        Assert.Equal(75, happier.Raw("health", "sentiment"));
        Assert.True(happier.Value("health") > start.Value("health"));
        Assert.True(happier.Value("engagement") > start.Value("engagement"));

        // Overdue open activities cost 25 each.
        var activity = await (await rep.PostJsonAsync("/api/v1/activities", new { customerId = id, activityType = "task", subject = "Call back", dueDate = DateTimeOffset.UtcNow.AddDays(1) }))
            .ExpectAsync(HttpStatusCode.Created);
        var activityId = activity.Id();
        await app.QueryAsync(d => d.Set<Activity>().IgnoreQueryFilters().Where(a => a.Id == activityId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.DueDate, DateTime.UtcNow.AddDays(-2))));
        var overdue = await rep.RecalculateAsync(id);
        Assert.Equal(75, overdue.Raw("health", "overdueActivities"));
        Assert.True(overdue.Value("health") < happier.Value("health"));
        Assert.True(overdue.Value("churn_risk") > happier.Value("churn_risk"));

        // Deal outcomes: a won deal makes the win rate 100.
        var (deal, etag) = await rep.CreateDealAsync(id);
        await (await rep.MoveAsync(deal.Id(), DealsTesting.ClosedWon, etag, "Signed")).ExpectAsync(HttpStatusCode.OK);
        var won = await rep.RecalculateAsync(id);
        Assert.Equal(100, won.Raw("health", "dealWinRate"));
        Assert.True(won.Value("health") > overdue.Value("health"));

        // Purchases (recency, frequency, monetary) from the lifecycle's figures.
        await app.SetPurchasesAsync(id, DateOnly.FromDateTime(DateTime.UtcNow), 5, 10_000m);
        var bought = await rep.RecalculateAsync(id);
        Assert.Equal(100, bought.Raw("value", "purchaseRecency"));
        Assert.Equal(50, bought.Raw("value", "purchaseFrequency"));
        Assert.Equal(80, bought.Raw("value", "purchaseMonetary"), 0.1);
        Assert.True(bought.Value("value") > won.Value("value"));
        Assert.True(bought.Value("upsell_potential") > won.Value("upsell_potential"));

        // Time passing: interactions 200 days old count for nothing in recency and frequency.
        await app.RewriteInteractionsAsync(id, DateTime.UtcNow.AddDays(-200), Sentiment.Positive);
        var quiet = await rep.RecalculateAsync(id);
        Assert.Equal(0, quiet.Raw("engagement", "interactionRecency"));
        Assert.Equal(0, quiet.Raw("engagement", "interactionFrequency"));
        Assert.True(quiet.Value("engagement") < bought.Value("engagement"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task AScoreOlderThanSevenDays_IsStale_AndOutOfReachIs404(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (_, rep) = await app.UserAsync(Role.Rep);
        var (_, other) = await app.UserAsync(Role.Rep);
        var id = (await rep.CreateIndividualAsync()).Id();
        await rep.RecalculateAsync(id);
        await app.QueryAsync(d => d.Set<CustomerScore>().Where(s => s.CustomerId == id)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.CalculatedAt, DateTime.UtcNow.AddDays(-8))));

        var scores = await (await rep.GetAsync($"/api/v1/customers/{id}/scores")).ExpectAsync(HttpStatusCode.OK);

        Assert.All(scores.GetProperty("scores").EnumerateArray(), s => Assert.True(s.GetProperty("isStale").GetBoolean()));
        await (await other.GetAsync($"/api/v1/customers/{id}/scores")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await other.PostJsonAsync($"/api/v1/customers/{id}/scores/recalculate", new { })).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Rules_BadWeightsOrThresholds_Are400NamingTheField_AndNothingIsSaved(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var read = await app.Client.GetAsync("/api/v1/scoring/rules");
        var etag = read.ETag();
        var before = await read.ExpectAsync(HttpStatusCode.OK);
        var weights = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, double>>>(before.GetProperty("weights").GetRawText())!;
        object Body(Dictionary<string, Dictionary<string, double>> w, int alert = 40, int escalate = 20, int upsell = 80, int atRisk = 40) =>
            new { weights = w, alertBelow = alert, escalateBelow = escalate, upsellAbove = upsell, atRiskBelow = atRisk };
        Dictionary<string, Dictionary<string, double>> With(string type, string factor, double weight)
        {
            var copy = weights.ToDictionary(w => w.Key, w => new Dictionary<string, double>(w.Value));
            copy[type][factor] = weight;
            return copy;
        }

        await (await app.Client.SendJsonAsync(HttpMethod.Put, "/api/v1/scoring/rules", Body(With("health", "sentiment", -1)), etag))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "weights.health.sentiment");
        await (await app.Client.SendJsonAsync(HttpMethod.Put, "/api/v1/scoring/rules", Body(With("value", "loginFrequency", 1)), etag))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "weights.value.loginFrequency");
        var zero = weights.ToDictionary(w => w.Key, w => new Dictionary<string, double>(w.Value));
        zero["engagement"] = zero["engagement"].ToDictionary(f => f.Key, _ => 0.0);
        await (await app.Client.SendJsonAsync(HttpMethod.Put, "/api/v1/scoring/rules", Body(zero), etag))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "weights.engagement");
        var missing = weights.Where(w => w.Key != "churn_risk").ToDictionary(w => w.Key, w => w.Value);
        await (await app.Client.SendJsonAsync(HttpMethod.Put, "/api/v1/scoring/rules", Body(missing), etag))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "weights.churn_risk");
        await (await app.Client.SendJsonAsync(HttpMethod.Put, "/api/v1/scoring/rules", Body(weights, escalate: 45), etag))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "escalateBelow");
        await (await app.Client.SendJsonAsync(HttpMethod.Put, "/api/v1/scoring/rules", Body(weights, upsell: 101), etag))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "upsellAbove");
        var (_, manager) = await app.UserAsync(Role.Manager);
        await (await manager.SendJsonAsync(HttpMethod.Put, "/api/v1/scoring/rules", Body(weights), etag)).ExpectProblemAsync(HttpStatusCode.Forbidden);

        // With a malformed If-Match, or a version someone else has since replaced, nothing is saved either.
        await (await app.Client.SendJsonAsync(HttpMethod.Put, "/api/v1/scoring/rules", Body(weights), "soon"))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "If-Match");
        await (await app.Client.SendJsonAsync(HttpMethod.Put, "/api/v1/scoring/rules", Body(weights), $"\"{before.GetProperty("version").GetInt32() - 1}\""))
            .ExpectProblemAsync(HttpStatusCode.PreconditionFailed);

        var unchanged = await (await app.Client.GetAsync("/api/v1/scoring/rules")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(before.GetRawText(), unchanged.GetRawText());

        // A good change is saved, versioned and audited; then put back for the other tests of the class.
        var saved = await (await app.Client.SendJsonAsync(HttpMethod.Put, "/api/v1/scoring/rules", Body(With("health", "sentiment", 0.4), alert: 45, atRisk: 45), etag))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0.4, saved.GetProperty("weights").GetProperty("health").GetProperty("sentiment").GetDouble());
        Assert.Equal(45, saved.GetProperty("thresholds").GetProperty("alertBelow").GetInt32());
        Assert.Equal(before.GetProperty("version").GetInt32() + 1, saved.GetProperty("version").GetInt32());
        var audited = await app.QueryAsync(d => d.Set<Aida.Platform.Audit.AuditEntry>().IgnoreQueryFilters().CountAsync(a => a.EntityId == ScoringRules.RowId));
        Assert.True(audited >= 1);
        var thresholds = before.GetProperty("thresholds");
        await (await app.Client.SendJsonAsync(HttpMethod.Put, "/api/v1/scoring/rules", Body(weights,
            thresholds.GetProperty("alertBelow").GetInt32(), thresholds.GetProperty("escalateBelow").GetInt32(),
            thresholds.GetProperty("upsellAbove").GetInt32(), thresholds.GetProperty("atRiskBelow").GetInt32()), $"\"{saved.GetProperty("version").GetInt32()}\"")).ExpectAsync(HttpStatusCode.OK);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task HealthCrossingThresholds_BothWays_EmitsEvents_NotifiesOwnerAndManager_AndMovesToAtRiskAndBack(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (manager, managerClient) = await app.UserAsync(Role.Manager);
        var team = await app.TeamAsync(manager.Id);
        var (rep, repClient) = await app.UserAsync(Role.Rep, team.Id);
        var id = await repClient.CustomerInStageAsync();
        for (var i = 0; i < 12; i++)
        {
            await repClient.LogInteractionAsync(id, "positive");
        }

        var (deal, etag) = await repClient.CreateDealAsync(id);
        await (await repClient.MoveAsync(deal.Id(), DealsTesting.ClosedLost, etag, "No budget")).ExpectAsync(HttpStatusCode.OK);

        // 12 recent positive interactions, nothing overdue, no purchase, the one deal lost: 20 + 15 + 20 + 15 + 0 + 0.
        Assert.Equal(70, (await repClient.RecalculateAsync(id)).Value("health"));

        // Silence for 200 days and a sour mood: 15, below 40 and below 20.
        await app.RewriteInteractionsAsync(id, DateTime.UtcNow.AddDays(-200), Sentiment.Negative);
        var fallen = await repClient.RecalculateAsync(id);
        Assert.Equal(15, fallen.Value("health"));
        Assert.Equal("F", fallen.Score("health").Str("grade"));
        var lifecycle = await (await repClient.GetAsync($"/api/v1/customers/{id}/lifecycle")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("at_risk", lifecycle.GetProperty("stage").Str("code"));

        // Back in touch: 70 again, and back to Customer (the rule put them in At Risk, so the rule takes them out).
        await app.RewriteInteractionsAsync(id, DateTime.UtcNow.AddMinutes(-5), Sentiment.Positive);
        Assert.Equal(70, (await repClient.RecalculateAsync(id)).Value("health"));
        var history = (await (await repClient.GetAsync($"/api/v1/customers/{id}/lifecycle/history")).ExpectAsync(HttpStatusCode.OK)).EnumerateArray().ToList();
        Assert.Equal(("at_risk", "customer", "rule", "Health recovered"), (history[0].GetProperty("from").Str("code"), history[0].GetProperty("to").Str("code"), history[0].Str("trigger"), history[0].Str("ruleName")));
        Assert.Equal(("customer", "at_risk", "rule", "Health below 40"), (history[1].GetProperty("from").Str("code"), history[1].GetProperty("to").Str("code"), history[1].Str("trigger"), history[1].Str("ruleName")));

        // A purchase today: 85, above 80.
        await app.SetPurchasesAsync(id, DateOnly.FromDateTime(DateTime.UtcNow), 1, 500m);
        Assert.Equal(85, (await repClient.RecalculateAsync(id)).Value("health"));

        var crossings = await app.QueryAsync(d => d.Set<OutboxEvent>().IgnoreQueryFilters()
            .Where(e => e.CustomerId == id && e.Type == "score.threshold_crossed").OrderBy(e => e.Seq).Select(e => e.Data).ToListAsync());
        var seen = crossings.Select(c => JsonDocument.Parse(c).RootElement)
            .Select(c => (c.Str("thresholdName"), c.Str("direction"), c.GetProperty("oldValue").GetInt32(), c.GetProperty("newValue").GetInt32())).ToList();
        Assert.Equal(
            new[] { ("alert", "down", 70, 15), ("escalate", "down", 70, 15), ("alert", "up", 15, 70), ("escalate", "up", 15, 70), ("upsell", "up", 70, 85) },
            seen);

        var repNotes = await NotificationKindsAsync(repClient, id);
        Assert.Equal(new[] { "upsell_opportunity", "health_alert" }, repNotes);
        Assert.Equal(new[] { "health_escalation" }, await NotificationKindsAsync(managerClient, id));
        Assert.NotEqual(rep.Id, manager.Id);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task AFullRun_StoppedAfterAChunk_ResumesFromItsCursor_AndCountsEveryCustomerOnce(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        for (var i = 0; i < 3; i++)
        {
            await app.Client.CreateIndividualAsync();
        }

        var (_, rep) = await app.UserAsync(Role.Rep);
        await (await rep.PostJsonAsync("/api/v1/scoring/runs", new { })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        var started = await (await app.Client.PostJsonAsync("/api/v1/scoring/runs", new { })).ExpectAsync(HttpStatusCode.Accepted);
        Assert.Equal("running", started.Str("status"));
        // Asked again while it runs: the same run.
        Assert.Equal(started.Id(), (await (await app.Client.PostJsonAsync("/api/v1/scoring/runs", new { })).ExpectAsync(HttpStatusCode.Accepted)).Id());

        var stopped = await app.Engine().ContinueAsync(maxChunks: 1, budget: null, CancellationToken.None, chunkSize: 2);
        Assert.Equal(ScoringRunStatus.Running, stopped!.Status);
        Assert.Equal(2, stopped.CustomersScored);
        Assert.NotNull(stopped.ResumeAfter);

        var total = await app.QueryAsync(d => Aida.Features.Customers.CustomerAccess.All(d).CountAsync());
        var finished = await app.Engine().ContinueAsync(maxChunks: null, budget: null, CancellationToken.None, chunkSize: 50);
        Assert.Equal(ScoringRunStatus.Completed, finished!.Status);
        Assert.Equal(started.Id(), finished.Id);
        Assert.Equal(total, finished.CustomersScored);

        var runs = (await (await app.Client.GetAsync("/api/v1/scoring/runs")).ExpectAsync(HttpStatusCode.OK)).EnumerateArray().ToList();
        var listed = runs.Single(r => r.Id() == started.Id());
        Assert.Equal(("completed", total), (listed.Str("status"), listed.GetProperty("customersScored").GetInt32()));
        var unscored = await app.QueryAsync(d => Aida.Features.Customers.CustomerAccess.All(d)
            .CountAsync(c => !d.Set<CustomerScore>().Any(s => s.CustomerId == c.Id && s.ScoreType == ScoreType.Health)));
        Assert.Equal(0, unscored);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        Assert.Equal(total, await app.QueryAsync(d => d.Set<HealthSnapshot>().Where(s => s.Day == today).SumAsync(s => s.CustomerCount)));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task TheHealthDashboard_ShowsAndCountsOnlyCustomersInReach(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (_, mine) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id);
        var (_, theirs) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id);
        var myCustomer = (await mine.CreateIndividualAsync()).Id();
        var theirCustomer = (await theirs.CreateIndividualAsync()).Id();
        foreach (var (client, id) in new[] { (mine, myCustomer), (theirs, theirCustomer) })
        {
            await client.LogInteractionAsync(id, "negative", DateTime.UtcNow.AddDays(-200));
            Assert.True((await client.RecalculateAsync(id)).Value("health") < 40);
        }

        await (await app.Client.PostJsonAsync("/api/v1/scoring/runs", new { })).ExpectAsync(HttpStatusCode.Accepted);
        await app.Engine().ContinueAsync(null, null, CancellationToken.None);

        var dashboard = await (await mine.GetAsync("/api/v1/scoring/health-dashboard")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, dashboard.GetProperty("scored").GetInt32());
        Assert.Equal(new[] { myCustomer }, dashboard.GetProperty("atRisk").EnumerateArray().Select(c => c.GetProperty("customerId").GetGuid()));
        var today = dashboard.GetProperty("trend").EnumerateArray().Last();
        Assert.Equal(1, today.GetProperty("grades").EnumerateArray().Sum(g => g.GetInt32()));

        var everyone = await (await app.Client.GetAsync("/api/v1/scoring/health-dashboard?limit=200")).ExpectAsync(HttpStatusCode.OK);
        var ids = everyone.GetProperty("atRisk").EnumerateArray().Select(c => c.GetProperty("customerId").GetGuid()).ToList();
        Assert.Contains(myCustomer, ids);
        Assert.Contains(theirCustomer, ids);
        Assert.True(everyone.GetProperty("scored").GetInt32() >= 2);
        await (await mine.GetAsync("/api/v1/scoring/health-dashboard?cursor=nonsense")).ExpectProblemAsync(HttpStatusCode.BadRequest, "cursor");
    }

    private static async Task<string[]> NotificationKindsAsync(HttpClient client, Guid customerId)
    {
        var list = await (await client.GetAsync("/api/v1/notifications")).ExpectAsync(HttpStatusCode.OK);
        return list.Items().Where(n => n.GetProperty("link").GetString()?.Contains(customerId.ToString(), StringComparison.Ordinal) == true)
            .Select(n => n.Str("kind")).ToArray();
    }
}
