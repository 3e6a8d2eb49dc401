using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Aida.Features.Scoring;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Scoring;

/// <summary>Event-driven rescoring: an interaction queues its customer, and the scoring worker rescores it seconds later.</summary>
public sealed class ScoringWorkerTests(ScoringWorkerFixture fixture) : IClassFixture<ScoringWorkerFixture>
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task AnInteractionLogged_QueuesTheCustomer_AndTheWorkerRescoresItWithinSeconds(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (_, rep) = await app.UserAsync(Role.Rep);
        var id = (await rep.CreateIndividualAsync()).Id();

        await rep.LogInteractionAsync(id, "positive");

        var clock = Stopwatch.StartNew();
        while (true)
        {
            var scores = await (await rep.GetAsync($"/api/v1/customers/{id}/scores")).ExpectAsync(HttpStatusCode.OK);
            if (scores.GetProperty("scores").GetArrayLength() > 0 && !scores.Score("health").GetProperty("insufficientData").GetBoolean())
            {
                Assert.Equal(100, scores.Raw("health", "sentiment"));
                break;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "The customer was not rescored within 20 seconds of its interaction.");
            await Task.Delay(100);
        }

        Assert.Equal(0, await app.QueryAsync(d => d.Set<ScoringQueueEntry>().CountAsync(q => q.CustomerId == id)));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task AMerge_RescoresTheSurvivorWithTheHistoryItGained_DropsTheMergedAwayScores_AndAnUndoRestoresBoth(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var survivor = (await app.Client.CreateIndividualAsync()).Id();
        var other = (await app.Client.CreateIndividualAsync()).Id();
        await app.Client.LogInteractionAsync(other, "negative");
        await UntilAsync(app, other, scores => scores.Count > 0 && !scores.Score("health").GetProperty("insufficientData").GetBoolean());
        await app.Client.RecalculateAsync(survivor);
        Assert.True((await ScoresAsync(app, survivor)).Score("health").GetProperty("insufficientData").GetBoolean());

        var merge = await (await app.Client.PostJsonAsync("/api/v1/customers/merge", new { ids = new[] { survivor, other }, survivorId = survivor })).ExpectAsync(HttpStatusCode.OK);

        // The negative call now belongs to the survivor, and the merged-away customer keeps no scores for dashboards to count.
        await UntilAsync(app, survivor, scores => !scores.Score("health").GetProperty("insufficientData").GetBoolean());
        Assert.Equal(0, (await ScoresAsync(app, survivor)).Raw("health", "sentiment"));
        await UntilTrueAsync(async () => await app.QueryAsync(d => d.Set<CustomerScore>().CountAsync(s => s.CustomerId == other)) == 0);

        await (await app.Client.PostAsync($"/api/v1/merges/{merge.GetProperty("merge").Id()}/undo", null)).ExpectAsync(HttpStatusCode.OK);

        await UntilAsync(app, survivor, scores => scores.Score("health").GetProperty("insufficientData").GetBoolean());
        await UntilAsync(app, other, scores => scores.Count > 0 && !scores.Score("health").GetProperty("insufficientData").GetBoolean());
    }

    private static async Task<JsonElement> ScoresAsync(AidaApp app, Guid id) =>
        (await (await app.Client.GetAsync($"/api/v1/customers/{id}/scores")).ExpectAsync(HttpStatusCode.OK));

    private static async Task UntilAsync(AidaApp app, Guid id, Func<ScoreList, bool> condition) =>
        await UntilTrueAsync(async () => condition(new ScoreList(await ScoresAsync(app, id))));

    private static async Task UntilTrueAsync(Func<Task<bool>> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "The worker did not rescore within 20 seconds.");
            await Task.Delay(100);
        }
    }

    /// <summary>A customer's scores as the API returns them.</summary>
    private sealed record ScoreList(JsonElement Scores)
    {
        public int Count => Scores.GetProperty("scores").GetArrayLength();

        public JsonElement Score(string type) => Scores.Score(type);
    }
}
