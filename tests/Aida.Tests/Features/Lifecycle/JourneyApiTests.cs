using System.Globalization;
using System.Net;
using System.Text.Json;
using Aida.Features.Lifecycle;
using Aida.Platform.Audit;
using Aida.Platform.Auth;
using Aida.Platform.Events;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Lifecycle;

/// <summary>
/// Issue 16 item 5, spec 002 Journey: the milestones Aida records itself (first contact, first purchase,
/// renewal, churn signal, win back), those recorded through the API, their event (AC-2), and the
/// customer's timeline showing them (AC-1) with its paging intact.
/// </summary>
public sealed class JourneyApiTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task TheFirstInteraction_IsTheFirstContact_AndLaterOnesAreNot(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var id = (await app.Client.CreateIndividualAsync()).Id();
        var at = DateTimeOffset.UtcNow.AddDays(-2);
        var call = (await (await LogAsync(app.Client, id, at)).ExpectAsync(HttpStatusCode.Created)).Id();
        await (await LogAsync(app.Client, id, DateTimeOffset.UtcNow.AddDays(-1))).ExpectAsync(HttpStatusCode.Created);

        var milestone = Assert.Single(await JourneyAsync(app.Client, id), m => m.Str("milestoneType") == "first_contact");
        Assert.Equal(call, milestone.GetProperty("details").GetProperty("interactionId").GetGuid());
        Assert.Equal(at.UtcDateTime, milestone.GetProperty("occurredAt").GetDateTime().ToUniversalTime(), TimeSpan.FromMilliseconds(1));
        Assert.True(milestone.GetProperty("automatic").GetBoolean());
        Assert.Equal(1, await MilestoneEventsAsync(app, id));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task TheFirstPurchase_IsAMilestoneOnce_AndARenewalEachTime(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var id = (await app.Client.CreateIndividualAsync()).Id();
        var first = (await (await PurchasesApiTests.PurchaseAsync(app.Client, id, 99m, "EUR", Today.AddDays(-40), "S-1")).ExpectAsync(HttpStatusCode.Created)).Id();
        await (await PurchasesApiTests.PurchaseAsync(app.Client, id, 99m, "EUR", Today.AddDays(-10), "S-2", isRenewal: true)).ExpectAsync(HttpStatusCode.Created);
        await (await PurchasesApiTests.PurchaseAsync(app.Client, id, 15m, "EUR", Today.AddDays(-5), "S-3")).ExpectAsync(HttpStatusCode.Created);

        var journey = await JourneyAsync(app.Client, id);
        Assert.Equal(new[] { "renewal", "first_purchase" }, journey.Select(m => m.Str("milestoneType")).ToArray());
        var firstPurchase = journey[1];
        Assert.Equal(first, firstPurchase.GetProperty("details").GetProperty("purchaseId").GetGuid());
        Assert.Equal(Today.AddDays(-40), DateOnly.FromDateTime(firstPurchase.GetProperty("occurredAt").GetDateTime().ToUniversalTime()));
        Assert.Equal(2, await MilestoneEventsAsync(app, id));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task EnteringAtRisk_IsAChurnSignal_AndEnteringWonBack_AWinBack(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var id = (await app.Client.CreateIndividualAsync()).Id();
        foreach (var stage in new[] { LifecycleStage.OpportunityId, LifecycleStage.CustomerId, LifecycleStage.AtRiskId, LifecycleStage.ChurnedId, LifecycleStage.WonBackId })
        {
            await (await app.Client.SendJsonAsync(HttpMethod.Put, $"/api/v1/customers/{id}/lifecycle", new { stageId = stage }, null)).ExpectAsync(HttpStatusCode.OK);
        }

        var journey = await JourneyAsync(app.Client, id);
        Assert.Equal(new[] { "win_back", "churn_signal" }, journey.Select(m => m.Str("milestoneType")).ToArray());
        Assert.Equal("customer", journey[1].GetProperty("details").Str("fromStage"));
        Assert.Equal("churned", journey[0].GetProperty("details").Str("fromStage"));
        var only = await (await app.Client.GetAsync($"/api/v1/customers/{id}/journey?type=churn_signal")).ExpectAsync(HttpStatusCode.OK);
        Assert.Single(only.Items());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task MilestonesRecordedThroughTheApi_AreListedAndAnnounced_AndBadInputIsRefused(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repClient) = await app.UserAsync(Role.Rep);
        var (_, stranger) = await app.UserAsync(Role.Rep);
        var (_, viewer) = await app.UserAsync(Role.Viewer);
        var id = (await repClient.CreateIndividualAsync()).Id();
        var url = $"/api/v1/customers/{id}/journey";

        var referral = await (await repClient.PostJsonAsync(url, new { milestoneType = "referral_made", details = new { referred = "A friend" }, note = "Sent us the Smiths" }))
            .ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(rep.Id, referral.GetProperty("recordedBy").GetGuid());
        Assert.False(referral.GetProperty("automatic").GetBoolean());
        Assert.Equal("A friend", referral.GetProperty("details").Str("referred"));
        await (await repClient.PostJsonAsync(url, new { milestoneType = "first_contact", occurredAt = DateTimeOffset.UtcNow.AddDays(-300) })).ExpectAsync(HttpStatusCode.Created);

        await (await repClient.PostJsonAsync(url, new { milestoneType = "first_contact" })).ExpectProblemAsync(HttpStatusCode.Conflict, "milestoneType");
        await (await repClient.PostJsonAsync(url, new { milestoneType = "graduation" })).ExpectProblemAsync(HttpStatusCode.BadRequest);
        await (await repClient.PostJsonAsync(url, new { note = "no type" })).ExpectProblemAsync(HttpStatusCode.BadRequest, "milestoneType");
        await (await repClient.PostJsonAsync(url, new { milestoneType = "upsell", occurredAt = DateTimeOffset.UtcNow.AddDays(2) })).ExpectProblemAsync(HttpStatusCode.BadRequest, "occurredAt");
        await (await stranger.PostJsonAsync(url, new { milestoneType = "upsell" })).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.GetAsync(url)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await viewer.PostJsonAsync(url, new { milestoneType = "upsell" })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await repClient.GetAsync(url + "?type=nope")).ExpectProblemAsync(HttpStatusCode.BadRequest, "type");

        var journey = await JourneyAsync(repClient, id);
        Assert.Equal(new[] { "referral_made", "first_contact" }, journey.Select(m => m.Str("milestoneType")).ToArray());
        Assert.Equal(2, await MilestoneEventsAsync(app, id));
        // Audited, and not twice on the timeline (the milestone shows instead of its audit entry).
        var audited = await app.QueryAsync(d => d.Set<AuditEntry>().IgnoreQueryFilters().CountAsync(a => a.CustomerId == id && a.EntityType == "journey_milestone"));
        Assert.Equal(2, audited);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Milestones_AppearOnTheTimeline_AndItsPagesStillCoverEveryEntryOnce(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var id = (await app.Client.CreateIndividualAsync()).Id();
        await (await LogAsync(app.Client, id, DateTimeOffset.UtcNow.AddDays(-6))).ExpectAsync(HttpStatusCode.Created);
        await (await PurchasesApiTests.PurchaseAsync(app.Client, id, 50m, "EUR", Today.AddDays(-4), "T-1")).ExpectAsync(HttpStatusCode.Created);
        await (await PurchasesApiTests.PurchaseAsync(app.Client, id, 50m, "EUR", Today.AddDays(-2), "T-2", isRenewal: true)).ExpectAsync(HttpStatusCode.Created);
        await (await LogAsync(app.Client, id, DateTimeOffset.UtcNow.AddDays(-1))).ExpectAsync(HttpStatusCode.Created);

        var milestones = await (await app.Client.GetAsync($"/api/v1/customers/{id}/timeline?types=milestone")).ExpectAsync(HttpStatusCode.OK);
        var items = milestones.Items();
        Assert.Equal(new[] { "renewal", "first_purchase", "first_contact" }, items.Select(i => i.Str("entityType")).ToArray());
        Assert.All(items, i => Assert.Equal("milestone", i.Str("kind")));
        Assert.Equal(new[] { "Renewal", "First purchase", "First contact" }, items.Select(i => i.Str("title")).ToArray());
        Assert.All(items, i => Assert.Equal("Aida", i.Str("actorName")));

        var all = await (await app.Client.GetAsync($"/api/v1/customers/{id}/timeline?limit=200")).ExpectAsync(HttpStatusCode.OK);
        var everything = all.Items().Select(i => i.Id()).ToList();
        Assert.DoesNotContain(all.Items(), i => i.Str("kind") == "change" && i.GetProperty("entityType").GetString() == "journey_milestone");
        Assert.Equal(3, all.Items().Count(i => i.Str("kind") == "milestone"));

        var paged = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await (await app.Client.GetAsync($"/api/v1/customers/{id}/timeline?limit=2" + (cursor is null ? "" : $"&cursor={cursor}"))).ExpectAsync(HttpStatusCode.OK);
            paged.AddRange(page.Items().Select(i => i.Id()));
            cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.Null ? null : page.Str("nextCursor");
        }
        while (cursor is not null);
        Assert.Equal(everything, paged);
    }

    private static Task<HttpResponseMessage> LogAsync(HttpClient client, Guid customerId, DateTimeOffset occurredAt) =>
        client.PostJsonAsync("/api/v1/interactions", new { customerId, interactionType = "call", direction = "outbound", occurredAt, subject = "Intro call" });

    private static async Task<JsonElement[]> JourneyAsync(HttpClient client, Guid customerId) =>
        (await (await client.GetAsync($"/api/v1/customers/{customerId}/journey")).ExpectAsync(HttpStatusCode.OK)).Items();

    private static Task<int> MilestoneEventsAsync(AidaApp app, Guid customerId) =>
        app.QueryAsync(d => d.Set<OutboxEvent>().IgnoreQueryFilters().CountAsync(e => e.CustomerId == customerId && e.Type == Journey.ReachedEvent));
}
