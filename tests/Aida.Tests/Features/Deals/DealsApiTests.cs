using System.Net;
using Aida.Features.Deals;
using Aida.Platform.Auth;
using Aida.Platform.Events;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Aida.Tests.Features.Deals.DealsTesting;

namespace Aida.Tests.Features.Deals;

/// <summary>
/// The deal API on a server shared by the class (rows and events counted from the test's start), but for
/// the list test: deals have no creation filter to read only the test's own, and it checks whole lists.
/// </summary>
public sealed class DealsApiTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_WithOnlyTheRequiredFields_GoesToTheDefaultPipelinesFirstStageWithItsProbability(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var since = await app.LastEventSeqAsync();
        var customer = await app.Client.CustomerAsync();

        var response = await app.Client.PostJsonAsync("/api/v1/deals", new { title = "Fleet renewal", value = 12000.50m, currency = "eur", customerId = customer });
        var deal = await response.ExpectAsync(HttpStatusCode.Created);

        Assert.Equal($"/api/v1/deals/{deal.Id()}", response.Headers.Location?.ToString());
        Assert.Equal("\"1\"", response.ETag());
        Assert.Equal(DefaultPipeline, deal.GetProperty("pipelineId").GetGuid());
        Assert.Equal(InitialContact, deal.GetProperty("stage").GetProperty("id").GetGuid());
        Assert.Equal("initial_contact", deal.GetProperty("stage").Str("code"));
        Assert.Equal("open", deal.GetProperty("stage").Str("kind"));
        Assert.Equal(10, deal.GetProperty("probability").GetInt32());
        Assert.Equal(JsonValueKindNull, deal.GetProperty("probabilityOverride").ValueKind);
        Assert.Equal(1200.05m, deal.GetProperty("weightedValue").GetDecimal());
        Assert.Equal("EUR", deal.Str("currency"));
        Assert.Equal("open", deal.Str("status"));
        Assert.Equal("medium", deal.Str("priority"));
        Assert.Equal(app.Admin.Id, deal.GetProperty("ownerId").GetGuid());
        Assert.False(deal.GetProperty("stale").GetBoolean());

        var fetched = await (await app.Client.GetAsync($"/api/v1/deals/{deal.Id()}")).ExpectAsync(HttpStatusCode.OK);
        var stay = Assert.Single(fetched.GetProperty("history").EnumerateArray());
        Assert.Equal(InitialContact, stay.GetProperty("stageId").GetGuid());
        Assert.Equal(JsonValueKindNull, stay.GetProperty("leftAt").ValueKind);
        Assert.Equal(app.Admin.Id, stay.GetProperty("movedBy").GetGuid());
        var created = await app.QueryAsync(d => d.Set<OutboxEvent>().Where(e => e.Type == "deal.created" && e.Seq > since).ToListAsync());
        Assert.Equal($"customers/{customer}/deals/{deal.Id()}", Assert.Single(created).Subject);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_WithStageAndOverride_UsesThemAndTheOverriddenProbability(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CustomerAsync();
        var contact = (await (await app.Client.GetAsync($"/api/v1/customers/{customer}/contacts")).ExpectAsync(HttpStatusCode.OK)).Items();

        var deal = await (await app.Client.PostJsonAsync("/api/v1/deals", new
        {
            title = "Support plan", value = 400, currency = "GBP", customerId = customer, pipelineId = DefaultPipeline, stageId = Proposal,
            probability = 80, expectedCloseOn = "2027-03-31", source = "referral", priority = "high",
            contactId = contact.Length > 0 ? contact[0].Id() : (Guid?)null,
        })).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal("proposal", deal.GetProperty("stage").Str("code"));
        Assert.Equal(80, deal.GetProperty("probability").GetInt32());
        Assert.Equal(80, deal.GetProperty("probabilityOverride").GetInt32());
        Assert.Equal(320m, deal.GetProperty("weightedValue").GetDecimal());
        Assert.Equal("2027-03-31", deal.Str("expectedCloseOn"));
        Assert.Equal("high", deal.Str("priority"));
        Assert.Equal("referral", deal.Str("source"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_BadFields_AreNamed_AndNothingIsStored(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var dealsBefore = await app.QueryAsync(d => d.Set<Opportunity>().IgnoreQueryFilters().CountAsync());
        var customer = await app.Client.CustomerAsync();
        var other = await app.Client.CustomerAsync();
        var othersContact = (await app.Client.CreateContactAsync(other, new { firstName = "Ann", lastName = "Other" })).Id();
        var pipeline = (await (await app.Client.PostJsonAsync("/api/v1/pipelines", TwoStagePipeline("Renewals"))).ExpectAsync(HttpStatusCode.Created));
        var foreignStage = pipeline.GetProperty("stages")[0].Id();

        await (await app.Client.PostJsonAsync("/api/v1/deals", new { value = 10, currency = "EUR", customerId = customer }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "title");
        await (await app.Client.PostJsonAsync("/api/v1/deals", new { title = "X", value = 10, currency = "ZZZ", customerId = customer }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "currency");
        await (await app.Client.PostJsonAsync("/api/v1/deals", new { title = "X", value = -1, currency = "EUR", customerId = customer }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "value");
        await (await app.Client.PostJsonAsync("/api/v1/deals", new { title = "X", value = 10, currency = "EUR", customerId = customer, probability = 101 }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "probability");
        await (await app.Client.PostJsonAsync("/api/v1/deals", new { title = "X", value = 10, currency = "EUR", customerId = customer, pipelineId = DefaultPipeline, stageId = foreignStage }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "stageId");
        await (await app.Client.PostJsonAsync("/api/v1/deals", new { title = "X", value = 10, currency = "EUR", customerId = customer, stageId = ClosedWon }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "stageId");
        await (await app.Client.PostJsonAsync("/api/v1/deals", new { title = "X", value = 10, currency = "EUR", customerId = customer, contactId = othersContact }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "contactId");
        await (await app.Client.PostJsonAsync("/api/v1/deals", new { title = "X", value = 10, currency = "EUR" }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "customerId");
        await (await app.Client.PostJsonAsync("/api/v1/deals", new { title = "X", value = 10, currency = "EUR", customerId = customer, ownerId = Guid.NewGuid() }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "ownerId");

        Assert.Equal(dealsBefore, await app.QueryAsync(d => d.Set<Opportunity>().IgnoreQueryFilters().CountAsync()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Access_ARepSeesDealsOfCustomersInReachOrOwned_AndCannotOpenOneForACustomerOutOfReach(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var team = await app.TeamAsync();
        var (rep, repApi) = await app.UserAsync(Role.Rep, team.Id);
        var (_, otherApi) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id);
        var mine = await repApi.CustomerAsync();
        var theirs = await otherApi.CustomerAsync();
        var (onMine, _) = await app.Client.CreateDealAsync(mine, "On my customer");
        var (onTheirs, _) = await app.Client.CreateDealAsync(theirs, "Not mine at all");
        var (ownedOnTheirs, _) = await app.Client.CreateDealAsync(theirs, "Mine on their customer", ownerId: rep.Id);

        var list = await (await repApi.GetAsync("/api/v1/deals")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(
            new[] { onMine.Id(), ownedOnTheirs.Id() }.Order(),
            list.Items().Select(d => d.Id()).Order());
        await (await repApi.GetAsync($"/api/v1/deals/{onTheirs.Id()}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        var owned = await (await repApi.GetAsync($"/api/v1/deals/{ownedOnTheirs.Id()}")).ExpectAsync(HttpStatusCode.OK);
        Assert.NotNull(owned.GetProperty("customerName").GetString());
        await (await repApi.MoveAsync(onTheirs.Id(), Qualified, "\"1\"")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await repApi.PostJsonAsync("/api/v1/deals", new { title = "Poach", value = 1, currency = "EUR", customerId = theirs }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "customerId");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task List_Filters_AndPagesWithoutGapsOrRepeats(DatabaseKind db)
    {
        // A server of its own: every list here is checked whole.
        await using var app = await AidaApp.StartAsync(db);
        var (rep, _) = await app.UserAsync(Role.Rep);
        var first = await app.Client.CustomerAsync();
        var second = await app.Client.CustomerAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await app.Client.CreateDealAsync(first, $"First {i}", expectedCloseOn: $"2027-0{i + 1}-15")).Deal.Id());
        }

        var (repDeal, _) = await app.Client.CreateDealAsync(second, "Rep's", stageId: Qualified, ownerId: rep.Id);
        var (won, wonTag) = await app.Client.CreateDealAsync(second, "Won one");
        await (await app.Client.MoveAsync(won.Id(), ClosedWon, wonTag, "Signed")).ExpectAsync(HttpStatusCode.OK);

        async Task<Guid[]> Ids(string query) =>
            (await (await app.Client.GetAsync("/api/v1/deals?" + query)).ExpectAsync(HttpStatusCode.OK)).Items().Select(d => d.Id()).ToArray();

        Assert.Equal([repDeal.Id()], await Ids($"stageId={Qualified}"));
        Assert.Equal([repDeal.Id()], await Ids($"ownerId={rep.Id}"));
        Assert.Equal([won.Id()], await Ids("status=won"));
        Assert.Equal(6, (await Ids("status=open")).Length);
        Assert.Equal(5, (await Ids($"customerId={first}")).Length);
        Assert.Equal(6, (await Ids("ownerId=me")).Length);
        Assert.Equal(ids.Skip(1).Take(2).ToArray(), await Ids("closeFrom=2027-02-01&closeTo=2027-03-31&sort=expectedCloseOn"));
        Assert.Equal(7, (await Ids($"pipelineId={DefaultPipeline}")).Length);

        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await (await app.Client.GetAsync("/api/v1/deals?sort=expectedCloseOn&limit=3" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))))
                .ExpectAsync(HttpStatusCode.OK);
            seen.AddRange(page.Items().Select(d => d.Id()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        // Dated deals first, soonest first; the undated ones after them.
        Assert.Equal(ids, seen.Take(5));
        Assert.Equal(7, seen.Distinct().Count());
        Assert.Equal(7, seen.Count);

        await (await app.Client.GetAsync("/api/v1/deals?status=pending")).ExpectProblemAsync(HttpStatusCode.BadRequest, "status");
        await (await app.Client.GetAsync("/api/v1/deals?sort=title")).ExpectProblemAsync(HttpStatusCode.BadRequest, "sort");
        await (await app.Client.GetAsync("/api/v1/deals?closeFrom=soon")).ExpectProblemAsync(HttpStatusCode.BadRequest, "closeFrom");
        await (await app.Client.GetAsync("/api/v1/deals?cursor=nonsense")).ExpectProblemAsync(HttpStatusCode.BadRequest, "cursor");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Update_MergesFields_HonoursIfMatch_AndRefusesStageChanges(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var dealsBefore = await app.QueryAsync(d => d.Set<Opportunity>().CountAsync());
        var customer = await app.Client.CustomerAsync();
        var (deal, etag) = await app.Client.CreateDealAsync(customer, "Old title", value: 100m);
        var url = $"/api/v1/deals/{deal.Id()}";

        var patched = await app.Client.PatchJsonAsync(url, new { title = "New title", probability = 60, expectedCloseOn = "2027-06-30" }, etag);
        var body = await patched.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("New title", body.Str("title"));
        Assert.Equal(60, body.GetProperty("probability").GetInt32());
        Assert.Equal(60m, body.GetProperty("weightedValue").GetDecimal());
        Assert.Equal(100m, body.GetProperty("value").GetDecimal());
        Assert.Equal("\"2\"", patched.ETag());

        var cleared = await (await app.Client.PatchJsonAsync(url, new { probability = (int?)null }, patched.ETag())).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(10, cleared.GetProperty("probability").GetInt32());

        await (await app.Client.PatchJsonAsync(url, new { title = "Stale" }, etag)).ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
        await (await app.Client.PatchJsonAsync(url, new { stageId = Qualified }, "*")).ExpectProblemAsync(HttpStatusCode.BadRequest, "stageId");
        await (await app.Client.PatchJsonAsync(url, new { currency = "XX" }, "*")).ExpectProblemAsync(HttpStatusCode.BadRequest, "currency");
        await (await app.Client.PatchJsonAsync(url, new { value = -5 }, "*")).ExpectProblemAsync(HttpStatusCode.BadRequest, "value");
        Assert.Equal(dealsBefore + 1, await app.QueryAsync(d => d.Set<Opportunity>().CountAsync()));
        var stored = await app.QueryAsync(d => d.Set<Opportunity>().SingleAsync(o => o.Id == deal.Id()));
        Assert.Equal("New title", stored.Title);
        Assert.Equal(DealsTesting.InitialContact, stored.StageId);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Delete_SoftDeletes_AndNeedsLeadsDelete(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (_, repApi) = await app.UserAsync(Role.Rep);
        var dealsBefore = await app.QueryAsync(d => d.Set<Opportunity>().IgnoreQueryFilters().CountAsync());
        var customer = await repApi.CustomerAsync();
        var (deal, etag) = await repApi.CreateDealAsync(customer);

        Assert.Equal(HttpStatusCode.Forbidden, (await repApi.DeleteAsync($"/api/v1/deals/{deal.Id()}", etag)).StatusCode);
        await (await app.Client.DeleteAsync($"/api/v1/deals/{deal.Id()}", etag)).ExpectAsync(HttpStatusCode.NoContent);

        await (await app.Client.GetAsync($"/api/v1/deals/{deal.Id()}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(dealsBefore + 1, await app.QueryAsync(d => d.Set<Opportunity>().IgnoreQueryFilters().CountAsync()));
        var stored = await app.QueryAsync(d => d.Set<Opportunity>().IgnoreQueryFilters().SingleAsync(o => o.Id == deal.Id()));
        Assert.NotNull(stored.DeletedAt);
    }

    internal static object TwoStagePipeline(string name) => new
    {
        name,
        stages = new object[]
        {
            new { name = "Talking", probability = 30 },
            new { name = "Renewed", kind = "won" },
            new { name = "Churned", kind = "lost" },
        },
    };

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;
}
