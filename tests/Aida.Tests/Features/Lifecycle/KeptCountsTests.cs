using System.Net;
using Aida.Features.Customers;
using Aida.Features.Lifecycle;
using Aida.Features.Scoring;
using Aida.Platform.Auth;
using Aida.Platform.Data;
using Aida.Tests.Features.Scoring;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aida.Tests.Features.Lifecycle;

/// <summary>
/// The AIDA board's and the HealthDashboard's counts are kept as the data changes (count tables, migration
/// 0013), not counted when asked: they must follow every way a customer's count moves — placed, moved,
/// reassigned, deleted, restored, rescored — and read the same before and after the rows are folded.
/// </summary>
public sealed class KeptCountsTests(ScoringFixture fixture) : IClassFixture<ScoringFixture>
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task BoardAndHealthCounts_FollowMovesReassignmentDeletionAndRestore_AcrossFolds(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (_, first) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id);
        var (second, secondClient) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id);
        var prospect = (await first.CreateIndividualAsync()).Id();
        var customer = await first.CustomerInStageAsync();
        await first.RecalculateAsync(prospect);
        await first.RecalculateAsync(customer);

        await AssertCountsAsync(first, new() { ["prospect"] = 1, ["customer"] = 1 }, scored: 2);
        await AssertCountsAsync(secondClient, [], scored: 0);
        await FoldAsync(app);
        await AssertCountsAsync(first, new() { ["prospect"] = 1, ["customer"] = 1 }, scored: 2);

        // Reassigned: the customer's stage and health go with it to the other rep's board and dashboard.
        await (await app.Client.PatchJsonAsync($"/api/v1/customers/{customer}", new { ownerId = second.Id })).ExpectAsync(HttpStatusCode.OK);
        await AssertCountsAsync(first, new() { ["prospect"] = 1 }, scored: 1);
        await AssertCountsAsync(secondClient, new() { ["customer"] = 1 }, scored: 1);

        // Moved, then rescored into another grade.
        await (await secondClient.SendJsonAsync(HttpMethod.Put, $"/api/v1/customers/{customer}/lifecycle", new { stageId = LifecycleStage.AtRiskId }, null))
            .ExpectAsync(HttpStatusCode.OK);
        var before = await GradesAsync(secondClient);
        await secondClient.LogInteractionAsync(customer, "positive");
        await secondClient.RecalculateAsync(customer);
        var after = await GradesAsync(secondClient);
        Assert.NotEqual(before, after);
        Assert.Equal(1, after.Values.Sum());
        await FoldAsync(app);
        await AssertCountsAsync(secondClient, new() { ["at_risk"] = 1 }, scored: 1);
        Assert.Equal(after, await GradesAsync(secondClient));

        // Deleted: off both; restored (as an administrator's repair would): back on both.
        await (await app.Client.DeleteAsync($"/api/v1/customers/{customer}", null)).ExpectAsync(HttpStatusCode.NoContent);
        await AssertCountsAsync(secondClient, [], scored: 0);
        await FoldAsync(app);
        await AssertCountsAsync(secondClient, [], scored: 0);
        await app.QueryAsync(d => d.Set<Customer>().IgnoreQueryFilters().Where(c => c.Id == customer)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.DeletedAt, (DateTime?)null)));
        await AssertCountsAsync(secondClient, new() { ["at_risk"] = 1 }, scored: 1);
        await AssertCountsAsync(first, new() { ["prospect"] = 1 }, scored: 1);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task AFold_LeavesEveryCountAsItWas_AndKeepsOneRowPerKey(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (_, rep) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id);
        for (var i = 0; i < 3; i++)
        {
            var id = await rep.CustomerInStageAsync();
            await (await rep.SendJsonAsync(HttpMethod.Put, $"/api/v1/customers/{id}/lifecycle", new { stageId = LifecycleStage.AtRiskId }, null))
                .ExpectAsync(HttpStatusCode.OK);
        }

        var counted = await app.QueryAsync(d => d.Set<LifecycleStageCount>().IgnoreQueryFilters()
            .GroupBy(c => new { c.OwnerId, c.StageId }).Select(g => new { g.Key.OwnerId, g.Key.StageId, Sum = g.Sum(c => c.Customers) })
            .Where(x => x.Sum != 0).OrderBy(x => x.OwnerId).ThenBy(x => x.StageId).ToListAsync());
        await FoldAsync(app);
        var rows = await app.QueryAsync(d => d.Set<LifecycleStageCount>().IgnoreQueryFilters()
            .OrderBy(x => x.OwnerId).ThenBy(x => x.StageId).Select(c => new { c.OwnerId, c.StageId, Sum = c.Customers }).ToListAsync());
        Assert.Equal(counted, rows);
        Assert.DoesNotContain(rows, r => r.Sum == 0);
        await AssertCountsAsync(rep, new() { ["at_risk"] = 3 }, scored: 0);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task StageMovesAndReassignments_OfTheSameCustomersAtOnce_LoseNoCount(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (_, from) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id);
        var (to, toClient) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id);
        var customers = new List<Guid>();
        for (var i = 0; i < 12; i++)
        {
            customers.Add(await from.CustomerInStageAsync());
        }

        // Each customer is moved and reassigned by two requests in flight together: the two triggers read each other's table.
        await Task.WhenAll(customers.SelectMany(id => new[]
        {
            Task.Run(async () => await (await app.Client.SendJsonAsync(HttpMethod.Put, $"/api/v1/customers/{id}/lifecycle", new { stageId = LifecycleStage.AtRiskId }, null))
                .ExpectAsync(HttpStatusCode.OK)),
            Task.Run(async () => await (await app.Client.PatchJsonAsync($"/api/v1/customers/{id}", new { ownerId = to.Id })).ExpectAsync(HttpStatusCode.OK)),
        }));

        await AssertCountsAsync(from, [], scored: 0);
        await AssertCountsAsync(toClient, new() { ["at_risk"] = customers.Count }, scored: 0);
    }

    private static Task FoldAsync(AidaApp app) => app.Services.GetRequiredService<CountFolding>().FoldAsync(force: true, CancellationToken.None);

    private static async Task AssertCountsAsync(HttpClient client, Dictionary<string, int> stages, int scored)
    {
        var stats = await (await client.GetAsync("/api/v1/customers/lifecycle/stats")).ExpectAsync(HttpStatusCode.OK);
        var counted = stats.GetProperty("phases").EnumerateArray()
            .SelectMany(p => p.GetProperty("stages").EnumerateArray())
            .Where(s => s.GetProperty("customers").GetInt32() != 0)
            .ToDictionary(s => s.GetProperty("stage").Str("code"), s => s.GetProperty("customers").GetInt32());
        Assert.Equal(stages.OrderBy(s => s.Key), counted.OrderBy(s => s.Key));
        Assert.Equal(stages.Values.Sum(), stats.GetProperty("total").GetInt32());
        var dashboard = await (await client.GetAsync("/api/v1/scoring/health-dashboard")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(scored, dashboard.GetProperty("scored").GetInt32());
    }

    private static async Task<Dictionary<string, int>> GradesAsync(HttpClient client)
    {
        var dashboard = await (await client.GetAsync("/api/v1/scoring/health-dashboard")).ExpectAsync(HttpStatusCode.OK);
        return dashboard.GetProperty("distribution").EnumerateArray()
            .ToDictionary(g => g.Str("grade"), g => g.GetProperty("customers").GetInt32());
    }
}
