using System.Net;
using System.Text.Json;
using Aida.Tests.Infrastructure;

namespace Aida.Tests.Features.Deals;

/// <summary>GET /api/v1/forecast over <see cref="DealScenario.SeedForecastAsync"/>: exact figures, reach, validation.</summary>
public sealed class ForecastTests
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Forecast_ByMonth_GivesExactWeightedCommitBestCaseAndClosedWon(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        var scenario = await DealScenario.BuildAsync(app);
        await scenario.SeedForecastAsync();

        var forecast = await GetAsync(app.Client, "?period=month&from=2030-01-01&to=2030-03-31");

        Assert.Equal("month", forecast.Str("period"));
        Assert.Equal("EUR", forecast.Str("currency"));
        Assert.Equal([("EUR", 6), ("USD", 1)], forecast.GetProperty("currencies").EnumerateArray().Select(c => (c.Str("currency"), c.GetProperty("deals").GetInt32())).ToArray());
        var buckets = forecast.GetProperty("buckets").EnumerateArray().ToDictionary(b => b.Str("key"), b => b.GetProperty("figures"));
        Assert.Equal(["2030-01", "2030-02", "2030-03", "unscheduled"], buckets.Keys.ToArray());
        // Jan: 1000 at 10% + 2000 at 75% (commit).
        AssertFigures(buckets["2030-01"], open: 2, best: 3000m, weighted: 1600m, commit: 2000m, won: 0, closedWon: 0m);
        // Feb: 500.50 overridden to 80% (commit), and the 1200 won on 5 Feb; the loss does not count.
        AssertFigures(buckets["2030-02"], open: 1, best: 500.50m, weighted: 400.40m, commit: 500.50m, won: 1, closedWon: 1200m);
        AssertFigures(buckets["2030-03"], open: 1, best: 3000m, weighted: 750m, commit: 0m, won: 0, closedWon: 0m);
        // 999.99 at 50% = 499.995, rounded half away from zero.
        AssertFigures(buckets["unscheduled"], open: 1, best: 999.99m, weighted: 500.00m, commit: 0m, won: 0, closedWon: 0m);
        AssertFigures(forecast.GetProperty("totals"), open: 5, best: 7500.49m, weighted: 3250.40m, commit: 2500.50m, won: 1, closedWon: 1200m);

        var owners = forecast.GetProperty("owners").EnumerateArray().ToDictionary(o => o.GetProperty("ownerId").GetGuid(), o => o);
        Assert.Equal(scenario.RepA.DisplayName, owners[scenario.RepA.Id].Str("ownerName"));
        AssertFigures(owners[scenario.RepA.Id].GetProperty("figures"), open: 3, best: 3500.50m, weighted: 2000.40m, commit: 2500.50m, won: 1, closedWon: 1200m);
        AssertFigures(owners[scenario.RepB.Id].GetProperty("figures"), open: 2, best: 3999.99m, weighted: 1250.00m, commit: 0m, won: 0, closedWon: 0m);

        // Won this quarter and this year, up to now: the 300 won today; not last year's 80 nor the future ones.
        var toDate = forecast.GetProperty("closedWonToDate");
        Assert.Equal(300m, toDate.GetProperty("quarter").GetDecimal());
        Assert.Equal(300m, toDate.GetProperty("year").GetDecimal());

        var usd = await GetAsync(app.Client, "?from=2030-01-01&to=2030-03-31&currency=usd");
        AssertFigures(usd.GetProperty("totals"), open: 1, best: 10000m, weighted: 7500m, commit: 10000m, won: 0, closedWon: 0m);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Forecast_ByQuarter_AndFilteredByOwner(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        var scenario = await DealScenario.BuildAsync(app);
        await scenario.SeedForecastAsync();

        var forecast = await GetAsync(app.Client, "?period=quarter&from=2030-02-14&to=2030-04-01");

        Assert.Equal("2030-01-01", forecast.Str("from"));
        Assert.Equal("2030-06-30", forecast.Str("to"));
        var buckets = forecast.GetProperty("buckets").EnumerateArray().ToDictionary(b => b.Str("key"), b => b.GetProperty("figures"));
        Assert.Equal(["2030-Q1", "2030-Q2", "unscheduled"], buckets.Keys.ToArray());
        AssertFigures(buckets["2030-Q1"], open: 4, best: 6500.50m, weighted: 2750.40m, commit: 2500.50m, won: 1, closedWon: 1200m);
        AssertFigures(buckets["2030-Q2"], open: 1, best: 700m, weighted: 70m, commit: 0m, won: 0, closedWon: 0m);

        var repB = await GetAsync(app.Client, $"?period=quarter&from=2030-01-01&to=2030-06-30&ownerId={scenario.RepB.Id}");
        AssertFigures(repB.GetProperty("totals"), open: 2, best: 3999.99m, weighted: 1250.00m, commit: 0m, won: 0, closedWon: 0m);
        Assert.Single(repB.GetProperty("owners").EnumerateArray());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Forecast_ARep_SeesOnlyTheDealsInReach(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        var scenario = await DealScenario.BuildAsync(app);
        await scenario.SeedForecastAsync();

        var forecast = await GetAsync(scenario.RepAClient, "?from=2030-01-01&to=2030-03-31");

        AssertFigures(forecast.GetProperty("totals"), open: 3, best: 3500.50m, weighted: 2000.40m, commit: 2500.50m, won: 1, closedWon: 1200m);
        Assert.Equal([scenario.RepA.Id], forecast.GetProperty("owners").EnumerateArray().Select(o => o.GetProperty("ownerId").GetGuid()).ToArray());
        Assert.Equal([("EUR", 4), ("USD", 1)], forecast.GetProperty("currencies").EnumerateArray().Select(c => (c.Str("currency"), c.GetProperty("deals").GetInt32())).ToArray());

        // Rep B's own deal on rep A's customer is theirs to see, even though the customer is not.
        await scenario.DealAsync(scenario.CustomerA, scenario.RepB.Id, "negotiation", 100m, "EUR", new DateOnly(2030, 1, 2));
        var repB = await GetAsync(scenario.RepBClient, "?from=2030-01-01&to=2030-03-31");
        AssertFigures(repB.GetProperty("totals"), open: 3, best: 4099.99m, weighted: 1325.00m, commit: 100m, won: 0, closedWon: 0m);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Forecast_BadParameters_Are400NamingTheParameter(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);

        await (await app.Client.GetAsync("/api/v1/forecast?period=week")).ExpectProblemAsync(HttpStatusCode.BadRequest, "period");
        await (await app.Client.GetAsync("/api/v1/forecast?from=31-01-2030")).ExpectProblemAsync(HttpStatusCode.BadRequest, "from");
        await (await app.Client.GetAsync("/api/v1/forecast?from=2030-03-01&to=2030-01-31")).ExpectProblemAsync(HttpStatusCode.BadRequest, "to");
        await (await app.Client.GetAsync("/api/v1/forecast?from=2030-01-01&to=2033-01-01")).ExpectProblemAsync(HttpStatusCode.BadRequest, "to");
        await (await app.Client.GetAsync("/api/v1/forecast?currency=XYZ")).ExpectProblemAsync(HttpStatusCode.BadRequest, "currency");

        // No parameters: this month and the five after it, plus unscheduled; no deals, no currency.
        var empty = await GetAsync(app.Client, "");
        Assert.Equal(7, empty.GetProperty("buckets").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, empty.GetProperty("currency").ValueKind);
        AssertFigures(empty.GetProperty("totals"), open: 0, best: 0m, weighted: 0m, commit: 0m, won: 0, closedWon: 0m);
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string query) =>
        await (await client.GetAsync("/api/v1/forecast" + query)).ExpectAsync(HttpStatusCode.OK);

    private static void AssertFigures(JsonElement figures, int open, decimal best, decimal weighted, decimal commit, int won, decimal closedWon) =>
        Assert.Equal(
            (open, best, weighted, commit, won, closedWon),
            (figures.GetProperty("openDeals").GetInt32(), figures.GetProperty("bestCase").GetDecimal(), figures.GetProperty("weighted").GetDecimal(),
                figures.GetProperty("commit").GetDecimal(), figures.GetProperty("wonDeals").GetInt32(), figures.GetProperty("closedWon").GetDecimal()));
}
