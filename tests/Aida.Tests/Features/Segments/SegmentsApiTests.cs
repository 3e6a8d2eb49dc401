using System.Net;
using System.Text.Json;
using Aida.Features.Lifecycle;
using Aida.Features.Segments;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;
using Aida.Tests.Platform.Events;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aida.Tests.Features.Segments;

/// <summary>
/// Segments through the API (issue 16 item 7): every operator of the criteria language, nesting, relative
/// dates and "not in segment"; validation naming the JSON path with nothing saved; incremental recalculation
/// picking up a changed customer; exclusion groups; and record-level access in counts, members and exports.
/// Each test's customers carry a unique marker in their name, and every criterion includes it.
/// </summary>
public sealed class SegmentsApiTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    private static object Named(string marker) => new { field = "customer.name", @operator = "contains", value = marker };

    private static object Condition(string field, string op, object value) => new { field, @operator = op, value };

    private static object All(string marker, params object[] more) => new { all = more.Prepend(Named(marker)).ToArray() };

    private static async Task<int> PreviewAsync(HttpClient client, object criteria) =>
        (await (await client.PostJsonAsync("/api/v1/segments/preview", new { criteria })).ExpectAsync(HttpStatusCode.OK)).GetProperty("count").GetInt32();

    private static async Task<JsonElement> CreateSegmentAsync(HttpClient client, object criteria, string? name = null, string? group = null, int priority = 0) =>
        await (await client.PostJsonAsync("/api/v1/segments", new { name = name ?? Builders.Unique("Segment "), type = "dynamic", criteria, exclusionGroup = group, priority }))
            .ExpectAsync(HttpStatusCode.Created);

    private static async Task<HashSet<Guid>> MemberIdsAsync(HttpClient client, Guid segmentId) =>
        (await (await client.GetAsync($"/api/v1/segments/{segmentId}/customers?limit=200")).ExpectAsync(HttpStatusCode.OK))
            .Items().Select(i => i.GetProperty("customerId").GetGuid()).ToHashSet();

    private static Task SetPurchasesAsync(AidaApp app, Guid customerId, decimal revenue, int count, DateOnly? last) =>
        app.QueryAsync(db => db.Set<CustomerLifecycle>().IgnoreQueryFilters().Where(l => l.Id == customerId)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.TotalRevenue, revenue).SetProperty(l => l.PurchaseCount, count)
                .SetProperty(l => l.LastPurchaseDate, last).SetProperty(l => l.UpdatedAt, DateTime.UtcNow)));

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Criteria_EveryOperator_MatchesTheCustomersItSays(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var marker = Builders.Unique("Opx");
        var tech = (await (await app.Client.PostJsonAsync("/api/v1/customers?allowDuplicate=true", new
        {
            type = "organization", displayName = $"{marker} Techco", status = "active", source = "web",
            account = new { legalName = "Techco Ltd", industry = "Technology", annualRevenue = "1M-10M" },
            addresses = new[] { new { addressType = "billing", streetLine1 = "1 Main St", city = "Berlin", country = "DE", postalCode = "10115" } },
        })).ExpectAsync(HttpStatusCode.Created)).Id();
        var shop = (await (await app.Client.PostJsonAsync("/api/v1/customers?allowDuplicate=true", new
        {
            type = "organization", displayName = $"{marker} Shop", status = "prospect", source = "referral",
            account = new { legalName = "Shop 50% Off", industry = "Retail", annualRevenue = "<100K" },
            addresses = new[] { new { addressType = "shipping", streetLine1 = "2 High St", city = "Paris", country = "FR" } },
        })).ExpectAsync(HttpStatusCode.Created)).Id();
        var person = (await (await app.Client.PostJsonAsync("/api/v1/customers?allowDuplicate=true", new
        {
            type = "individual", displayName = $"{marker} Person", status = "churned", source = "sales",
            primaryContact = new { firstName = "Pat", lastName = marker, email = $"pat.{marker}@example.org" },
        })).ExpectAsync(HttpStatusCode.Created)).Id();
        await SetPurchasesAsync(app, tech, 2500m, 3, DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-10)));
        await SetPurchasesAsync(app, shop, 99.5m, 1, DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-200)));

        var c = app.Client;
        Assert.Equal(3, await PreviewAsync(c, All(marker)));
        Assert.Equal(1, await PreviewAsync(c, All(marker, Condition("customer.status", "eq", "active"))));
        Assert.Equal(2, await PreviewAsync(c, All(marker, Condition("customer.status", "ne", "active"))));
        Assert.Equal(2, await PreviewAsync(c, All(marker, Condition("customer.source", "in", new[] { "web", "sales" }))));
        Assert.Equal(1, await PreviewAsync(c, All(marker, Condition("lifecycle.total_revenue", "gt", 99.5))));
        Assert.Equal(2, await PreviewAsync(c, All(marker, Condition("lifecycle.total_revenue", "gte", 99.5))));
        Assert.Equal(1, await PreviewAsync(c, All(marker, Condition("lifecycle.total_revenue", "lt", 99.5))));
        Assert.Equal(3, await PreviewAsync(c, All(marker, Condition("lifecycle.purchase_count", "lte", 3))));
        Assert.Equal(1, await PreviewAsync(c, All(marker, Condition("account.industry", "contains", "TECH"))));
        // LIKE's wildcards in a value are the characters themselves.
        Assert.Equal(1, await PreviewAsync(c, All(marker, Condition("account.legal_name", "contains", "50%"))));
        Assert.Equal(2, await PreviewAsync(c, All(marker, Condition("account.industry", "exists", true))));
        Assert.Equal(1, await PreviewAsync(c, All(marker, Condition("account.industry", "exists", false))));
        Assert.Equal(1, await PreviewAsync(c, All(marker, Condition("account.annual_revenue", "gte", "1M-10M"))));
        Assert.Equal(1, await PreviewAsync(c, All(marker, Condition("address.country", "eq", "de"))));
        Assert.Equal(1, await PreviewAsync(c, All(marker, Condition("customer.email_domain", "eq", "example.org"))));
        Assert.Equal(2, await PreviewAsync(c, All(marker, Condition("lifecycle.current_stage.category", "eq", "customer"), Condition("customer.type", "eq", "organization")))
            + await PreviewAsync(c, All(marker, Condition("lifecycle.current_stage", "eq", "churned"))));

        // Relative dates: bought in the last 90 days; created within the last day; none created before yesterday.
        Assert.Equal(1, await PreviewAsync(c, All(marker, Condition("lifecycle.last_purchase_date", "gte", "now-90d"))));
        Assert.Equal(3, await PreviewAsync(c, All(marker, Condition("customer.created_at", "gte", "now-1d"))));
        Assert.Equal(0, await PreviewAsync(c, All(marker, Condition("customer.created_at", "lt", "now-1d"))));

        // Nesting: any, and not around a group.
        Assert.Equal(2, await PreviewAsync(c, All(marker, new { any = new[] { Condition("address.city", "eq", "Paris"), Condition("customer.type", "eq", "individual") } })));
        Assert.Equal(1, await PreviewAsync(c, All(marker, new { not = new { any = new[] { Condition("address.city", "eq", "Paris"), Condition("customer.type", "eq", "individual") } } })));

        // Several conditions on rows off the customer: the preview starts from the most selective one and probes the
        // others; whichever it picks, it matches what the segment's own run matches.
        Assert.Equal(1, await PreviewAsync(c, All(marker, Condition("address.country", "in", new[] { "de", "fr" }), Condition("account.industry", "eq", "technology"))));
        Assert.Equal(1, await PreviewAsync(c, All(marker, Condition("account.industry", "exists", true), Condition("address.country", "eq", "fr"),
            Condition("lifecycle.total_revenue", "lte", 99.5))));
        var buyers = All(marker, Condition("address.country", "in", new[] { "de", "fr" }), Condition("account.industry", "exists", true),
            Condition("lifecycle.purchase_count", "gte", 1));
        Assert.Equal(2, await PreviewAsync(c, buyers));
        // The sample is taken from the first rows of the list the preview starts from, and still finds every member.
        var sample = (await (await c.PostJsonAsync("/api/v1/segments/preview", new { criteria = buyers })).ExpectAsync(HttpStatusCode.OK)).GetProperty("sample");
        Assert.Equal(new HashSet<Guid> { tech, shop }, sample.EnumerateArray().Select(s => s.Id()).ToHashSet());
        Assert.Equal(new HashSet<Guid> { tech, shop }, await MemberIdsAsync(c, (await CreateSegmentAsync(c, buyers)).Id()));
        Assert.Equal(0, await PreviewAsync(c, All(marker, Condition("address.city", "eq", "Berlin"), Condition("account.industry", "eq", "retail"))));

        // "NOT in segment Enterprise".
        var enterprise = await CreateSegmentAsync(c, All(marker, Condition("account.annual_revenue", "gte", "1M-10M")));
        Assert.Equal(1, enterprise.GetProperty("memberCount").GetInt32());
        var notEnterprise = await CreateSegmentAsync(c, All(marker, new { not = Condition("segment", "eq", enterprise.Id().ToString()) }));
        Assert.Equal(new HashSet<Guid> { shop, person }, await MemberIdsAsync(c, notEnterprise.Id()));
        Assert.Equal(new HashSet<Guid> { tech }, await MemberIdsAsync(c, enterprise.Id()));

        // Two conditions on addresses may be met by two different addresses, also when one of them is the list the
        // preview starts from and the industry is probed inside it.
        var traveller = (await (await app.Client.PostJsonAsync("/api/v1/customers?allowDuplicate=true", new
        {
            type = "organization", displayName = $"{marker} Traveller", status = "active", source = "web",
            account = new { legalName = "Traveller GmbH", industry = "Logistics" },
            addresses = new[]
            {
                new { addressType = "billing", streetLine1 = "3 Ring", city = "Hamburg", country = "DE" },
                new { addressType = "shipping", streetLine1 = "4 Quai", city = "Lyon", country = "FR" },
            },
        })).ExpectAsync(HttpStatusCode.Created)).Id();
        var apart = All(marker, Condition("address.city", "eq", "Lyon"), Condition("address.country", "eq", "de"), Condition("account.industry", "eq", "logistics"));
        Assert.Equal(1, await PreviewAsync(c, apart));
        Assert.Equal(new HashSet<Guid> { traveller }, await MemberIdsAsync(c, (await CreateSegmentAsync(c, apart)).Id()));
        Assert.Equal(0, await PreviewAsync(c, All(marker, Condition("address.city", "eq", "Lyon"), Condition("address.country", "eq", "de"), Condition("account.industry", "eq", "retail"))));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ScoreFields_MatchTheScoresTheCustomersHave(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var marker = Builders.Unique("Scx");
        var engaged = (await app.Client.CreateIndividualAsync($"{marker} Engaged")).Id();
        var quiet = (await app.Client.CreateIndividualAsync($"{marker} Quiet")).Id();
        await (await app.Client.PostJsonAsync("/api/v1/interactions", new { customerId = engaged, interactionType = "meeting", direction = "outbound", subject = "Kick-off", sentiment = "positive" }))
            .ExpectAsync(HttpStatusCode.Created);
        async Task<(int Health, string Grade)> ScoreAsync(Guid id)
        {
            var scores = await (await app.Client.PostAsync($"/api/v1/customers/{id}/scores/recalculate", null)).ExpectAsync(HttpStatusCode.OK);
            var health = scores.GetProperty("scores").EnumerateArray().Single(s => s.Str("scoreType") == "health");
            return (health.GetProperty("scoreValue").GetInt32(), health.Str("grade"));
        }

        var (engagedHealth, engagedGrade) = await ScoreAsync(engaged);
        var (quietHealth, quietGrade) = await ScoreAsync(quiet);
        int[] healths = [engagedHealth, quietHealth];

        var c = app.Client;
        Assert.Equal(2, await PreviewAsync(c, All(marker, Condition("scores.health", "exists", true))));
        Assert.Equal(healths.Count(h => h == engagedHealth), await PreviewAsync(c, All(marker, Condition("scores.health", "eq", engagedHealth))));
        Assert.Equal(healths.Count(h => h > quietHealth), await PreviewAsync(c, All(marker, Condition("scores.health", "gt", quietHealth))));
        Assert.Equal(new[] { engagedGrade, quietGrade }.Count(g => g == engagedGrade), await PreviewAsync(c, All(marker, Condition("scores.health.grade", "in", new[] { engagedGrade }))));
        Assert.Equal(2, await PreviewAsync(c, All(marker, Condition("scores.churn_risk", "gte", 0), Condition("scores.upsell_potential", "lte", 100))));
        await (await c.PostJsonAsync("/api/v1/segments/preview", new { criteria = All(marker, Condition("scores.health.grade", "eq", "E")) }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "criteria.all[1].value");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task BadCriteria_Answer400NamingThePath_AndSaveNothing(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var name = Builders.Unique("Bad ");
        async Task Refused(object criteria, string field)
        {
            await (await app.Client.PostJsonAsync("/api/v1/segments", new { name, type = "dynamic", criteria })).ExpectProblemAsync(HttpStatusCode.BadRequest, field);
        }

        await Refused(new { all = new object[] { Named("x"), Condition("customer.shoe_size", "eq", "42") } }, "criteria.all[1].field");
        await Refused(new { all = new object[] { Condition("customer.status", "gt", "active") } }, "criteria.all[0].operator");
        await Refused(new { all = new object[] { Condition("customer.status", "like", "active") } }, "criteria.all[0].operator");
        await Refused(new { all = new object[] { Condition("customer.status", "eq", "asleep") } }, "criteria.all[0].value");
        await Refused(new { any = new object[] { new { not = Condition("lifecycle.last_purchase_date", "gte", "now-90x") } } }, "criteria.any[0].not.value");
        await Refused(new { all = new object[] { Condition("lifecycle.total_revenue", "in", Array.Empty<int>()) } }, "criteria.all[0].value");
        await Refused(new { all = Array.Empty<object>() }, "criteria.all");
        await Refused(new { all = new object[] { Condition("segment", "eq", Guid.NewGuid().ToString()) } }, "criteria");
        await (await app.Client.PostJsonAsync("/api/v1/segments/preview", new { criteria = new { all = new object[] { new { field = "customer.status", @operator = "eq" } } } }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "criteria.all[0].value");

        var list = await (await app.Client.GetAsync($"/api/v1/segments?q={Uri.EscapeDataString(name)}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(list.Items());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task SegmentsThatWouldContainEachOther_AreRefused(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var marker = Builders.Unique("Loop");
        var a = await CreateSegmentAsync(app.Client, All(marker));
        var b = await CreateSegmentAsync(app.Client, All(marker, Condition("segment", "eq", a.Id().ToString())));
        var response = await app.Client.GetAsync($"/api/v1/segments/{a.Id()}");
        var etag = response.ETag();
        await (await app.Client.PatchJsonAsync($"/api/v1/segments/{a.Id()}", new { criteria = All(marker, Condition("segment", "ne", b.Id().ToString())) }, etag))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "criteria");
        // A segment another one names cannot be deleted from under it.
        await (await app.Client.DeleteAsync($"/api/v1/segments/{a.Id()}", etag)).ExpectProblemAsync(HttpStatusCode.Conflict);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task AScheduledRun_IsIncremental_AndPicksUpAChangedCustomer(DatabaseKind db)
    {
        // A server of its own without the overlap, so the run can be seen to look at the changed customer alone.
        await using var app = await AidaApp.StartAsync(db, new Dictionary<string, string?> { ["Segments:Overlap"] = "00:00:00", ["Segments:Scheduled"] = "false" });
        var marker = Builders.Unique("Inc");
        var changing = (await app.Client.CreateIndividualAsync($"{marker} Changing")).Id();
        await app.Client.CreateIndividualAsync($"{marker} Staying");
        var segment = await CreateSegmentAsync(app.Client, All(marker, Condition("customer.status", "eq", "active")));
        Assert.Equal(0, segment.GetProperty("memberCount").GetInt32());
        Assert.Equal("full", segment.GetProperty("lastRun").Str("kind"));

        var current = await app.Client.GetAsync($"/api/v1/customers/{changing}");
        await (await app.Client.PatchJsonAsync($"/api/v1/customers/{changing}", new { status = "active" }, current.ETag())).ExpectAsync(HttpStatusCode.OK);
        var runs = await app.Services.GetRequiredService<SegmentSchedule>().RunOnceAsync(CancellationToken.None);

        var run = runs.Single(r => r.SegmentId == segment.Id());
        Assert.Equal(SegmentRunKind.Incremental, run.Kind);
        Assert.Equal((1, 0, 1), (run.Added, run.Removed, run.MemberCount));
        Assert.Equal(1, run.Evaluated);
        Assert.Equal(new HashSet<Guid> { changing }, await MemberIdsAsync(app.Client, segment.Id()));

        // The run is logged with its counts and announced once, with the counts.
        var stored = await (await app.Client.GetAsync($"/api/v1/segments/{segment.Id()}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(("incremental", 1), (stored.GetProperty("lastRun").Str("kind"), stored.GetProperty("lastRun").GetProperty("added").GetInt32()));
        // On PostgreSQL the feed serves an event once no older transaction on the server is open, other tests' too.
        var incremental = await Feed.WaitForAsync(app, 2, query: "type=segment.recalculated&limit=200");
        Assert.Contains(incremental.Items, e => e.Str("subject") == $"segments/{segment.Id()}" && e.GetProperty("data").GetProperty("kind").GetString() == "incremental");

        // Changing it back removes it on the next run.
        current = await app.Client.GetAsync($"/api/v1/customers/{changing}");
        await (await app.Client.PatchJsonAsync($"/api/v1/customers/{changing}", new { status = "inactive" }, current.ETag())).ExpectAsync(HttpStatusCode.OK);
        run = (await app.Services.GetRequiredService<SegmentSchedule>().RunOnceAsync(CancellationToken.None)).Single(r => r.SegmentId == segment.Id());
        Assert.Equal((SegmentRunKind.Incremental, 0, 1, 0), (run.Kind, run.Added, run.Removed, run.MemberCount));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task InAnExclusionGroup_ACustomerBelongsToTheHigherPriority_AndTheConflictIsCounted(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var marker = Builders.Unique("Excl");
        var group = Builders.Unique("tier");
        var big = (await app.Client.CreateIndividualAsync($"{marker} Big")).Id();
        var small = (await app.Client.CreateIndividualAsync($"{marker} Small")).Id();
        await SetPurchasesAsync(app, big, 5000m, 4, null);
        var silver = await CreateSegmentAsync(app.Client, All(marker), group: group, priority: 1);
        var gold = await CreateSegmentAsync(app.Client, All(marker, Condition("lifecycle.total_revenue", "gte", 1000)), group: group, priority: 10);

        Assert.Equal(new HashSet<Guid> { big }, await MemberIdsAsync(app.Client, gold.Id()));
        Assert.Equal(new HashSet<Guid> { small }, await MemberIdsAsync(app.Client, silver.Id()));
        var storedSilver = await (await app.Client.GetAsync($"/api/v1/segments/{silver.Id()}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, storedSilver.GetProperty("conflictCount").GetInt32());

        var analytics = await (await app.Client.GetAsync("/api/v1/segments/analytics?days=30")).ExpectAsync(HttpStatusCode.OK);
        var goldFigures = analytics.GetProperty("segments").EnumerateArray().Single(s => s.GetProperty("segmentId").GetGuid() == gold.Id());
        Assert.Equal(5000m, goldFigures.GetProperty("revenue").GetDecimal());
        Assert.Equal(1, goldFigures.GetProperty("sizeOverTime").EnumerateArray().Last().GetProperty("memberCount").GetInt32());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task CountsMembersAndExports_ShowOnlyCustomersInTheViewersReach(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var marker = Builders.Unique("Reach");
        var (manager, managerClient) = await app.UserAsync(Role.Manager);
        var team = await app.TeamAsync(manager.Id);
        var (_, repClient) = await app.UserAsync(Role.Rep, team.Id);
        var (_, otherClient) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id);
        var mine1 = (await repClient.CreateIndividualAsync($"{marker} One")).Id();
        var mine2 = (await repClient.CreateIndividualAsync($"{marker} Two")).Id();
        var theirs = (await otherClient.CreateIndividualAsync($"=SUM(1) {marker}")).Id();

        var segment = await CreateSegmentAsync(app.Client, All(marker));
        Assert.Equal(3, segment.GetProperty("memberCount").GetInt32());

        var asRep = await (await repClient.GetAsync($"/api/v1/segments/{segment.Id()}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, asRep.GetProperty("memberCount").GetInt32());
        Assert.Equal(JsonValueKind.Null, asRep.GetProperty("conflictCount").ValueKind);
        var listed = await (await repClient.GetAsync("/api/v1/segments?limit=200")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, listed.Items().Single(s => s.Id() == segment.Id()).GetProperty("memberCount").GetInt32());
        Assert.Equal(new HashSet<Guid> { mine1, mine2 }, await MemberIdsAsync(repClient, segment.Id()));
        Assert.Equal(2, await PreviewAsync(repClient, All(marker)));
        Assert.Equal(1, await PreviewAsync(otherClient, All(marker)));
        await (await repClient.PostJsonAsync("/api/v1/segments", new { name = Builders.Unique("Rep "), type = "static" })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await repClient.GetAsync($"/api/v1/segments/{segment.Id()}/export")).ExpectProblemAsync(HttpStatusCode.Forbidden);

        // The team's manager exports the team's members only; the admin all three, a formula-looking name made harmless.
        var csv = await (await managerClient.GetAsync($"/api/v1/segments/{segment.Id()}/export")).Content.ReadAsStringAsync();
        Assert.Contains(mine1.ToString(), csv, StringComparison.Ordinal);
        Assert.Contains(mine2.ToString(), csv, StringComparison.Ordinal);
        Assert.DoesNotContain(theirs.ToString(), csv, StringComparison.Ordinal);
        var all = await (await app.Client.GetAsync($"/api/v1/segments/{segment.Id()}/export")).Content.ReadAsStringAsync();
        Assert.Equal(4, all.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains($",'=SUM(1) {marker},", all, StringComparison.Ordinal);

        // Static members: only customers in the adder's reach, each refusal named by its place.
        var fixedSegment = await (await managerClient.PostJsonAsync("/api/v1/segments", new { name = Builders.Unique("Hand-picked "), type = "static" })).ExpectAsync(HttpStatusCode.Created);
        await (await managerClient.PostJsonAsync($"/api/v1/segments/{fixedSegment.Id()}/members", new { customerIds = new[] { mine1, theirs } }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "customerIds[1]");
        var added = await (await managerClient.PostJsonAsync($"/api/v1/segments/{fixedSegment.Id()}/members", new { customerIds = new[] { mine1, mine2 } })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, added.GetProperty("memberCount").GetInt32());
        var removed = await (await managerClient.DeleteAsync($"/api/v1/segments/{fixedSegment.Id()}/members/{mine2}", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, removed.GetProperty("memberCount").GetInt32());
        Assert.Equal(new HashSet<Guid> { mine1 }, await MemberIdsAsync(repClient, fixedSegment.Id()));
        Assert.Empty(await MemberIdsAsync(otherClient, fixedSegment.Id()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ASegment_IsUpdatedWithIfMatch_AndDeleted(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var marker = Builders.Unique("Upd");
        await app.Client.CreateIndividualAsync($"{marker} A");
        var created = await app.Client.PostJsonAsync("/api/v1/segments", new { name = Builders.Unique("Upd "), type = "dynamic", criteria = All(marker, Condition("customer.status", "eq", "active")) });
        var segment = await created.ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(0, segment.GetProperty("memberCount").GetInt32());

        await (await app.Client.PatchJsonAsync($"/api/v1/segments/{segment.Id()}", new { criteria = All(marker) }, "\"999\"")).ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
        var changed = await (await app.Client.PatchJsonAsync($"/api/v1/segments/{segment.Id()}", new { criteria = All(marker) }, created.ETag())).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, changed.GetProperty("memberCount").GetInt32());
        Assert.Equal("criteria_changed", changed.GetProperty("lastRun").Str("reason"));
        await (await app.Client.PatchJsonAsync($"/api/v1/segments/{segment.Id()}", new { type = "static" }, null)).ExpectProblemAsync(HttpStatusCode.BadRequest, "type");

        var current = await app.Client.GetAsync($"/api/v1/segments/{segment.Id()}");
        await (await app.Client.DeleteAsync($"/api/v1/segments/{segment.Id()}", current.ETag())).ExpectAsync(HttpStatusCode.NoContent);
        await (await app.Client.GetAsync($"/api/v1/segments/{segment.Id()}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        var history = await (await app.Client.GetAsync($"/api/v1/audit?entityType=segment&entityId={segment.Id()}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(new[] { "delete", "update", "create" }, history.Items().Select(e => e.Str("action")).ToArray());
    }
}
