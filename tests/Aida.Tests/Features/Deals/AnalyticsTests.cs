using System.Net;
using System.Text.Json;
using Aida.Features.Deals;
using Aida.Features.Leads;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Deals;

/// <summary>GET /api/v1/analytics/*: exact figures from known data.</summary>
public sealed class AnalyticsTests
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Pipeline_PerStage_CountsValueAndWeightedValue(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        var scenario = await DealScenario.BuildAsync(app);
        await scenario.SeedForecastAsync();

        var pipeline = await GetAsync(app.Client, "/api/v1/analytics/pipeline");

        Assert.Equal(Pipeline.DefaultId, pipeline.GetProperty("pipelineId").GetGuid());
        Assert.Equal("EUR", pipeline.Str("currency"));
        var stages = pipeline.GetProperty("stages").EnumerateArray()
            .ToDictionary(s => s.Str("code"), s => (s.GetProperty("deals").GetInt32(), s.GetProperty("value").GetDecimal(), s.GetProperty("weighted").GetDecimal()));
        Assert.Equal(["initial_contact", "qualified", "proposal", "negotiation"], stages.Keys.ToArray());
        Assert.Equal((2, 1700m, 170m), stages["initial_contact"]);
        Assert.Equal((1, 3000m, 750m), stages["qualified"]);
        // 500.50 at its override of 80% + 999.99 at 50%: 400.40 + 499.995.
        Assert.Equal((2, 1500.49m, 900.40m), stages["proposal"]);
        Assert.Equal((1, 2000m, 1500m), stages["negotiation"]);
        Assert.Equal((6, 8200.49m), (pipeline.GetProperty("deals").GetInt32(), pipeline.GetProperty("value").GetDecimal()));

        var usd = await GetAsync(app.Client, "/api/v1/analytics/pipeline?currency=USD");
        Assert.Equal((1, 10000m, 7500m), usd.GetProperty("stages").EnumerateArray().Where(s => s.Str("code") == "negotiation")
            .Select(s => (s.GetProperty("deals").GetInt32(), s.GetProperty("value").GetDecimal(), s.GetProperty("weighted").GetDecimal())).Single());
        await (await app.Client.GetAsync($"/api/v1/analytics/pipeline?pipelineId={Guid.NewGuid()}")).ExpectProblemAsync(HttpStatusCode.BadRequest, "pipelineId");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task WinRate_OverallAndPerOwner_OfDealsClosedInTheRange(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        var scenario = await DealScenario.BuildAsync(app);
        await scenario.SeedForecastAsync();

        var in2030 = await GetAsync(app.Client, "/api/v1/analytics/win-rate?from=2030-01-01&to=2030-12-31");
        Assert.Equal((1, 1, 0.5m), Rate(in2030));
        var owners = in2030.GetProperty("owners").EnumerateArray().ToDictionary(o => o.GetProperty("ownerId").GetGuid(), Rate);
        Assert.Equal((1, 0, 1m), owners[scenario.RepA.Id]);
        Assert.Equal((0, 1, 0m), owners[scenario.RepB.Id]);

        // All time: also the wins of 31 Dec 2029, today and last year.
        var all = await GetAsync(app.Client, "/api/v1/analytics/win-rate");
        Assert.Equal((4, 1, 0.8m), Rate(all));
        var allOwners = all.GetProperty("owners").EnumerateArray().ToDictionary(o => o.GetProperty("ownerId").GetGuid(), Rate);
        Assert.Equal((3, 0, 1m), allOwners[scenario.RepA.Id]);
        Assert.Equal((1, 1, 0.5m), allOwners[scenario.RepB.Id]);

        var none = await GetAsync(app.Client, "/api/v1/analytics/win-rate?from=2031-01-01");
        Assert.Equal(JsonValueKind.Null, none.GetProperty("winRate").ValueKind);
        await (await app.Client.GetAsync("/api/v1/analytics/win-rate?from=2030-02-01&to=2030-01-01")).ExpectProblemAsync(HttpStatusCode.BadRequest, "to");
        await (await app.Client.GetAsync("/api/v1/analytics/win-rate?from=yesterday")).ExpectProblemAsync(HttpStatusCode.BadRequest, "from");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task TimeInStage_AveragesEndedAndRunningStays(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        var scenario = await DealScenario.BuildAsync(app);
        var first = await scenario.DealAsync(scenario.CustomerA, scenario.RepA.Id, "qualified", 100m, "EUR", null);
        var second = await scenario.DealAsync(scenario.CustomerA, scenario.RepA.Id, "negotiation", 100m, "EUR", null);
        var start = new DateTime(2026, 3, 1, 9, 0, 0, DateTimeKind.Utc);
        var now = DateTime.UtcNow;
        await app.QueryAsync(async d =>
        {
            var stages = await d.Set<PipelineStage>().Where(s => s.PipelineId == Pipeline.DefaultId).ToDictionaryAsync(s => s.Code, s => s.Id);
            d.AddRange(
                new OpportunityStageHistory { OpportunityId = first, StageId = stages["initial_contact"], EnteredAt = start, LeftAt = start.AddDays(2) },
                new OpportunityStageHistory { OpportunityId = first, StageId = stages["qualified"], EnteredAt = start.AddDays(2), LeftAt = start.AddDays(3.5) },
                new OpportunityStageHistory { OpportunityId = second, StageId = stages["initial_contact"], EnteredAt = start, LeftAt = start.AddDays(4) },
                new OpportunityStageHistory { OpportunityId = second, StageId = stages["negotiation"], EnteredAt = Aida.Platform.Time.Truncate(now.AddDays(-3)) });
            return await d.SaveChangesAsync();
        });

        var report = await GetAsync(app.Client, "/api/v1/analytics/time-in-stage");
        var stages = report.GetProperty("stages").EnumerateArray().ToDictionary(s => s.Str("code"));

        Assert.Equal((2, 3.00m, 2, 3.00m, 0), Stays(stages["initial_contact"]));
        Assert.Equal(JsonValueKind.Null, stages["initial_contact"].GetProperty("averageOpenDays").ValueKind);
        Assert.Equal((1, 1.50m, 1, 1.50m, 0), Stays(stages["qualified"]));
        Assert.Equal((1, 3.00m, 0, null, 1), Stays(stages["negotiation"]));
        Assert.Equal(3.00m, stages["negotiation"].GetProperty("averageOpenDays").GetDecimal());
        Assert.Equal(0, stages["proposal"].GetProperty("stays").GetInt32());

        // Stays that began in March 2026 only.
        var march = await GetAsync(app.Client, "/api/v1/analytics/time-in-stage?from=2026-03-01&to=2026-03-31");
        Assert.Equal(0, march.GetProperty("stages").EnumerateArray().Single(s => s.Str("code") == "negotiation").GetProperty("stays").GetInt32());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task LeadSourcesAndFunnel_CountLeadsConversionsAndWonRevenue(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        var l1 = await LeadAsync(app.Client, "website", "one");
        var l2 = await LeadAsync(app.Client, "website", "two");
        var l3 = await LeadAsync(app.Client, "website", "three");
        var l4 = await LeadAsync(app.Client, "referral", "four");
        var l5 = await LeadAsync(app.Client, "referral", "five");
        await LeadAsync(app.Client, "phone", "six");
        var deal1 = await ConvertAsync(app.Client, l1, 1000m, "EUR");
        var deal2 = await ConvertAsync(app.Client, l2, 250m, "USD");
        await ConvertAsync(app.Client, l4, 500m, "EUR");
        await app.QueryAsync(async d =>
        {
            var won = await d.Set<PipelineStage>().SingleAsync(s => s.PipelineId == Pipeline.DefaultId && s.Code == "closed_won");
            foreach (var deal in await d.Set<Opportunity>().Where(o => o.Id == deal1 || o.Id == deal2).ToListAsync())
            {
                (deal.StageId, deal.Status, deal.ClosedAt, deal.CloseReason) = (won.Id, DealStatus.Won, DateTime.UtcNow, "Signed");
            }

            var leads = await d.Set<Lead>().IgnoreQueryFilters().ToDictionaryAsync(l => l.Id);
            leads[l3].ConnectedAt = DateTime.UtcNow;
            leads[l5].QualificationStatus = QualificationStatus.Qualified;
            return await d.SaveChangesAsync();
        });
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var sources = await GetAsync(app.Client, $"/api/v1/analytics/lead-sources?from={today}&to={today}");
        var bySource = sources.GetProperty("sources").EnumerateArray().ToDictionary(s => s.Str("sourceType"));
        Assert.Equal((3, 2, 0.6667m, 2), Source(bySource["website"]));
        Assert.Equal([("EUR", 1000m), ("USD", 250m)], Revenue(bySource["website"]));
        Assert.Equal((2, 1, 0.5m, 0), Source(bySource["referral"]));
        Assert.Empty(Revenue(bySource["referral"]));
        Assert.Equal((1, 0, 0m, 0), Source(bySource["phone"]));
        Assert.Equal(JsonValueKind.Null, bySource["email"].GetProperty("conversionRate").ValueKind);
        Assert.Equal((6, 3, 0.5m), (sources.GetProperty("leads").GetInt32(), sources.GetProperty("converted").GetInt32(), sources.GetProperty("conversionRate").GetDecimal()));

        var funnel = await GetAsync(app.Client, $"/api/v1/analytics/funnel?from={today}&to={today}");
        Assert.Equal(
            [("captured", 6, (decimal?)null), ("connected", 5, 0.8333m), ("qualified", 4, 0.8m), ("converted", 3, 0.75m), ("won", 2, 0.6667m)],
            funnel.GetProperty("steps").EnumerateArray().Select(s => (s.Str("name"), s.GetProperty("leads").GetInt32(),
                s.GetProperty("fromPrevious").ValueKind == JsonValueKind.Null ? (decimal?)null : s.GetProperty("fromPrevious").GetDecimal())).ToArray());

        var later = await GetAsync(app.Client, "/api/v1/analytics/funnel?from=2099-01-01");
        Assert.All(later.GetProperty("steps").EnumerateArray(), s => Assert.Equal(0, s.GetProperty("leads").GetInt32()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Analytics_NeedTheViewReportsPermission(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        var (_, rep) = await app.UserAsync(Role.Rep);
        var (_, viewer) = await app.UserAsync(Role.Viewer);

        foreach (var report in new[] { "pipeline", "lead-sources", "funnel", "time-in-stage", "win-rate" })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await rep.GetAsync($"/api/v1/analytics/{report}")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/v1/analytics/{report}")).StatusCode);
        }
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string url) =>
        await (await client.GetAsync(url)).ExpectAsync(HttpStatusCode.OK);

    private static async Task<Guid> LeadAsync(HttpClient client, string source, string name) =>
        (await (await client.PostJsonAsync("/api/v1/leads", new { firstName = "Lead", lastName = name, email = $"{name}@{Builders.Unique("l")}.example", sourceType = source }))
            .ExpectAsync(HttpStatusCode.Created)).Id();

    private static async Task<Guid> ConvertAsync(HttpClient client, Guid leadId, decimal value, string currency) =>
        (await (await client.PostJsonAsync($"/api/v1/leads/{leadId}/convert", new { customer = new { allowDuplicate = true }, deal = new { title = "Deal", value, currency } }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("dealId").GetGuid();

    private static (int Won, int Lost, decimal? Rate) Rate(JsonElement e) =>
        (e.GetProperty("won").GetInt32(), e.GetProperty("lost").GetInt32(), e.GetProperty("winRate").ValueKind == JsonValueKind.Null ? null : e.GetProperty("winRate").GetDecimal());

    private static (int, decimal?, int, decimal?, int) Stays(JsonElement s) =>
        (s.GetProperty("stays").GetInt32(), Nullable(s.GetProperty("averageDays")), s.GetProperty("closedStays").GetInt32(), Nullable(s.GetProperty("averageClosedDays")), s.GetProperty("openStays").GetInt32());

    private static decimal? Nullable(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetDecimal();

    private static (int, int, decimal?, int) Source(JsonElement s) =>
        (s.GetProperty("leads").GetInt32(), s.GetProperty("converted").GetInt32(), Nullable(s.GetProperty("conversionRate")), s.GetProperty("wonDeals").GetInt32());

    private static (string, decimal)[] Revenue(JsonElement s) =>
        s.GetProperty("revenue").EnumerateArray().Select(r => (r.Str("currency"), r.GetProperty("amount").GetDecimal())).ToArray();
}
