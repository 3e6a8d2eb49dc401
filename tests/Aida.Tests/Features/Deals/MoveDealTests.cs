using System.Net;
using System.Text.Json;
using Aida.Features.Deals;
using Aida.Platform.Events;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Aida.Tests.Features.Deals.DealsTesting;

namespace Aida.Tests.Features.Deals;

/// <summary>Moving deals, on a server shared by the class (rows and events counted from the test's start) but for the stale test, which needs its own setting.</summary>
public sealed class MoveDealTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Move_ClosesTheCurrentStayOpensTheNext_AndAnnouncesTheStageChange(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var since = await app.LastEventSeqAsync();
        var (deal, etag) = await app.Client.CreateDealAsync(await app.Client.CustomerAsync());

        var response = await app.Client.MoveAsync(deal.Id(), Proposal, etag);
        var moved = await response.ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("\"2\"", response.ETag());
        Assert.Equal("proposal", moved.GetProperty("stage").Str("code"));
        Assert.Equal(50, moved.GetProperty("probability").GetInt32());
        Assert.Equal("open", moved.Str("status"));
        var history = moved.GetProperty("history").EnumerateArray().ToArray();
        Assert.Equal([InitialContact, Proposal], history.Select(h => h.GetProperty("stageId").GetGuid()));
        Assert.Equal(history[1].GetProperty("enteredAt").GetDateTime(), history[0].GetProperty("leftAt").GetDateTime());
        Assert.Equal(JsonValueKind.Null, history[1].GetProperty("leftAt").ValueKind);
        Assert.Equal(app.Admin.Id, history[1].GetProperty("movedBy").GetGuid());
        Assert.Equal(history[1].GetProperty("enteredAt").GetDateTime(), moved.GetProperty("stageEnteredAt").GetDateTime());

        var changed = await app.QueryAsync(d => d.Set<OutboxEvent>().Where(e => e.Type == "deal.stage_changed" && e.Seq > since).ToListAsync());
        var data = JsonDocument.Parse(Assert.Single(changed).Data).RootElement;
        Assert.Equal("initial_contact", data.Str("from"));
        Assert.Equal("proposal", data.Str("to"));
        Assert.Equal(0, await app.QueryAsync(d => d.Set<OutboxEvent>().CountAsync(e => (e.Type == "deal.converted" || e.Type == "deal.lost") && e.Seq > since)));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Move_WithoutIfMatch_Is428_AndWithAStaleOne_412_AndNothingMoves(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var dealsBefore = await app.QueryAsync(d => d.Set<Opportunity>().CountAsync());
        var historyBefore = await app.QueryAsync(d => d.Set<OpportunityStageHistory>().CountAsync());
        var (deal, etag) = await app.Client.CreateDealAsync(await app.Client.CustomerAsync());

        var missing = await (await app.Client.MoveAsync(deal.Id(), Qualified, null)).ExpectProblemAsync((HttpStatusCode)428, "If-Match");
        Assert.Equal("urn:aida:problem:precondition-required", missing.Str("type"));
        await (await app.Client.MoveAsync(deal.Id(), Qualified, "\"7\"")).ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
        await (await app.Client.MoveAsync(deal.Id(), Qualified, "not-a-tag")).ExpectProblemAsync(HttpStatusCode.BadRequest, "If-Match");
        await (await app.Client.MoveAsync(deal.Id(), Guid.NewGuid(), etag)).ExpectProblemAsync(HttpStatusCode.BadRequest, "stageId");

        Assert.Equal(dealsBefore + 1, await app.QueryAsync(d => d.Set<Opportunity>().CountAsync()));
        var stored = await app.QueryAsync(d => d.Set<Opportunity>().SingleAsync(o => o.Id == deal.Id()));
        Assert.Equal(InitialContact, stored.StageId);
        Assert.Equal(1, stored.Version);
        Assert.Equal(historyBefore + 1, await app.QueryAsync(d => d.Set<OpportunityStageHistory>().CountAsync()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Move_TwoConcurrentMovesWithTheSameVersion_ExactlyOneWins(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CustomerAsync();
        for (var round = 0; round < 3; round++)
        {
            var (deal, etag) = await app.Client.CreateDealAsync(customer);

            var results = await Task.WhenAll(
                app.Client.MoveAsync(deal.Id(), Qualified, etag),
                app.Client.MoveAsync(deal.Id(), Proposal, etag));

            Assert.Equal(
                new[] { HttpStatusCode.OK, HttpStatusCode.PreconditionFailed },
                results.Select(r => r.StatusCode).Order());
            var winner = results.Single(r => r.StatusCode == HttpStatusCode.OK);
            var won = await winner.ExpectAsync(HttpStatusCode.OK);
            var stored = await (await app.Client.GetAsync($"/api/v1/deals/{deal.Id()}")).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(won.GetProperty("stage").Id(), stored.GetProperty("stage").Id());
            Assert.Equal(2, stored.GetProperty("history").GetArrayLength());
            Assert.Equal(2, stored.GetProperty("version").GetInt32());
        }
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Move_ToWon_NeedsAReason_ThenClosesAndEmitsDealConverted(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var since = await app.LastEventSeqAsync();
        var customer = await app.Client.CustomerAsync();
        var (deal, etag) = await app.Client.CreateDealAsync(customer, value: 2500m, currency: "USD");

        await (await app.Client.MoveAsync(deal.Id(), ClosedWon, etag)).ExpectProblemAsync(HttpStatusCode.BadRequest, "reason");
        await (await app.Client.MoveAsync(deal.Id(), ClosedWon, etag, "   ")).ExpectProblemAsync(HttpStatusCode.BadRequest, "reason");
        var won = await (await app.Client.MoveAsync(deal.Id(), ClosedWon, etag, "Best price and support")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("won", won.Str("status"));
        Assert.Equal("Best price and support", won.Str("closeReason"));
        Assert.Equal(won.GetProperty("stageEnteredAt").GetDateTime(), won.GetProperty("closedAt").GetDateTime());
        Assert.Equal(100, won.GetProperty("probability").GetInt32());
        var converted = await app.QueryAsync(d => d.Set<OutboxEvent>().Where(e => e.Type == "deal.converted" && e.Seq > since).ToListAsync());
        var data = JsonDocument.Parse(Assert.Single(converted).Data).RootElement;
        Assert.Equal(customer, data.GetProperty("customerId").GetGuid());
        Assert.Equal(2500m, data.GetProperty("value").GetDecimal());
        Assert.Equal("USD", data.Str("currency"));
        Assert.Equal(deal.Id(), data.GetProperty("deal").Id());
        Assert.Equal(0, await app.QueryAsync(d => d.Set<OutboxEvent>().CountAsync(e => e.Type == "deal.lost" && e.Seq > since)));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Move_ToLost_EmitsDealLostOnly_AndMovingBackReopens(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var since = await app.LastEventSeqAsync();
        var dealsBefore = await app.QueryAsync(d => d.Set<Opportunity>().CountAsync());
        var (deal, etag) = await app.Client.CreateDealAsync(await app.Client.CustomerAsync());

        var lostResponse = await app.Client.MoveAsync(deal.Id(), ClosedLost, etag, "Went with a competitor");
        var lost = await lostResponse.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("lost", lost.Str("status"));
        Assert.Equal(0, lost.GetProperty("probability").GetInt32());

        var reopened = await (await app.Client.MoveAsync(deal.Id(), Negotiation, lostResponse.ETag())).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("open", reopened.Str("status"));
        Assert.Equal(JsonValueKind.Null, reopened.GetProperty("closedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, reopened.GetProperty("closeReason").ValueKind);
        Assert.Equal(3, reopened.GetProperty("history").GetArrayLength());

        Assert.Equal(1, await app.QueryAsync(d => d.Set<OutboxEvent>().CountAsync(e => e.Type == "deal.lost" && e.Seq > since)));
        Assert.Equal(0, await app.QueryAsync(d => d.Set<OutboxEvent>().CountAsync(e => e.Type == "deal.converted" && e.Seq > since)));
        Assert.Equal(dealsBefore + 1, await app.QueryAsync(d => d.Set<Opportunity>().CountAsync()));
        var stored = await app.QueryAsync(d => d.Set<Opportunity>().SingleAsync(o => o.Id == deal.Id()));
        Assert.Null(stored.ClosedAt);
        Assert.Equal(DealStatus.Open, stored.Status);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Move_ToAStageOfAnotherPipeline_Is400(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var other = await (await app.Client.PostJsonAsync("/api/v1/pipelines", DealsApiTests.TwoStagePipeline("Renewals"))).ExpectAsync(HttpStatusCode.Created);
        var (deal, etag) = await app.Client.CreateDealAsync(await app.Client.CustomerAsync());

        await (await app.Client.MoveAsync(deal.Id(), other.GetProperty("stages")[0].Id(), etag)).ExpectProblemAsync(HttpStatusCode.BadRequest, "stageId");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Stale_AfterNDaysWithoutActivity_IsFlaggedAndFiltered_AndAnInteractionAboutTheDealFreshensIt(DatabaseKind db)
    {
        // A server of its own: the stale limit is a setting of the server, and the stale filter lists every deal.
        await using var app = await AidaApp.StartAsync(db, new Dictionary<string, string?> { ["Deals:StaleAfterDays"] = "7" });
        var customer = await app.Client.CustomerAsync();
        var (quiet, _) = await app.Client.CreateDealAsync(customer, "Quiet");
        var (busy, _) = await app.Client.CreateDealAsync(customer, "Busy");
        var (closed, closedTag) = await app.Client.CreateDealAsync(customer, "Closed");
        await (await app.Client.MoveAsync(closed.Id(), ClosedLost, closedTag, "No budget")).ExpectAsync(HttpStatusCode.OK);
        var longAgo = DateTime.UtcNow.AddDays(-8);
        await app.QueryAsync(d => d.Set<Opportunity>().IgnoreQueryFilters().ExecuteUpdateAsync(s => s.SetProperty(o => o.LastActivityAt, longAgo)));
        var busyBefore = await (await app.Client.GetAsync($"/api/v1/deals/{busy.Id()}")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(busyBefore.GetProperty("stale").GetBoolean());

        await (await app.Client.PostJsonAsync("/api/v1/interactions", new
        {
            customerId = customer, interactionType = "call", direction = "outbound", subject = "Pricing call", relatedType = "opportunity", relatedId = busy.Id(),
        })).ExpectAsync(HttpStatusCode.Created);

        // A call with another customer that names this deal is not activity on it.
        var elsewhere = await app.Client.CustomerAsync();
        await (await app.Client.PostJsonAsync("/api/v1/interactions", new
        {
            customerId = elsewhere, interactionType = "call", direction = "outbound", relatedType = "opportunity", relatedId = quiet.Id(),
        })).ExpectAsync(HttpStatusCode.Created);

        var stale = await (await app.Client.GetAsync("/api/v1/deals?stale=true")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([quiet.Id()], stale.Items().Select(d => d.Id()));
        var fresh = await (await app.Client.GetAsync("/api/v1/deals?stale=false")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(new[] { busy.Id(), closed.Id() }.Order(), fresh.Items().Select(d => d.Id()).Order());
        var busyAfter = await (await app.Client.GetAsync($"/api/v1/deals/{busy.Id()}")).ExpectAsync(HttpStatusCode.OK);
        Assert.False(busyAfter.GetProperty("stale").GetBoolean());
        // Logging a call about the deal is activity, not a change to it: the board's copy (its version) stays current.
        Assert.Equal(busyBefore.GetProperty("version").GetInt32(), busyAfter.GetProperty("version").GetInt32());
        var closedNow = await (await app.Client.GetAsync($"/api/v1/deals/{closed.Id()}")).ExpectAsync(HttpStatusCode.OK);
        Assert.False(closedNow.GetProperty("stale").GetBoolean());

        // Changing the deal is activity too.
        var quietResponse = await app.Client.GetAsync($"/api/v1/deals/{quiet.Id()}");
        var patched = await (await app.Client.PatchJsonAsync($"/api/v1/deals/{quiet.Id()}", new { priority = "high" }, quietResponse.ETag())).ExpectAsync(HttpStatusCode.OK);
        Assert.False(patched.GetProperty("stale").GetBoolean());
    }
}
