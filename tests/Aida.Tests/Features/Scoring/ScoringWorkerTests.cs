using System.Diagnostics;
using System.Net;
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
}
