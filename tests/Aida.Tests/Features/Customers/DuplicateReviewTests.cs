using System.Globalization;
using System.Net;
using System.Text.Json;
using Aida.Features.Customers;
using Aida.Features.Customers.Duplicates;
using Aida.Platform.Auth;
using Aida.Platform.Data;
using Aida.Platform.Http;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aida.Tests.Features.Customers;

/// <summary>
/// Issue 17 part 3, duplicate review: the background scan (driven here; its worker is off in tests) finds likely
/// duplicates with the create's matcher, the queue lists them as clusters to managers and admins, and dismiss,
/// defer and merge decide them.
/// </summary>
public sealed class DuplicateReviewTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    private const string Queue = "/api/v1/duplicates";

    private static string UniquePostalCode() => Random.Shared.Next(10000, 99999).ToString(CultureInfo.InvariantCulture);

    /// <summary>A city of that name no other test uses (letters only, as city names are compared by their words).</summary>
    private static string UniqueCity(string name) => name + " " + string.Concat(Guid.NewGuid().ToString("N")[..10].Select(c => (char)('a' + Convert.ToInt32(c.ToString(), 16))));

    private static string UniqueWeiss() => "Weiß" + Builders.Unique("")[..5];

    private static CreateCustomer.Request Person(string first, string last, string street, string postalCode, string city, Guid? ownerId = null) =>
        DuplicateQueue.Person(first, last, street, postalCode, city, ownerId);

    private static Task<Guid> InsertDirectAsync(AidaApp app, CreateCustomer.Request request) => DuplicateQueue.InsertDirectAsync(app, request);

    private static Task<DuplicateScanSummary> ScanAsync(AidaApp app) => DuplicateQueue.ScanAsync(app);

    private static Task<List<JsonElement>> ClustersAsync(HttpClient client, string status = "open") => DuplicateQueue.ClustersAsync(client, "customer", status);

    private static JsonElement? PairOf(List<JsonElement> clusters, Guid a, Guid b) => DuplicateQueue.PairOf(clusters, a, b);

    private static bool Lists(List<JsonElement> clusters, Guid id) => DuplicateQueue.Lists(clusters, id);

    /// <summary>A planted pair (the "Jürgen Weiß, Hauptstr. 5" and "Jürgen Weiss, Hauptstraße 5"), stored without the create's check.</summary>
    private static async Task<(Guid First, Guid Second, Guid Elsewhere)> PlantAsync(AidaApp app, Guid? ownerId = null, Guid? secondOwnerId = null)
    {
        var last = UniqueWeiss();
        var postal = UniquePostalCode();
        var first = await InsertDirectAsync(app, Person("Jürgen", last, "Hauptstr. 5", postal, "Berlin", ownerId));
        var second = await InsertDirectAsync(app, Person("Jürgen", last.Replace("ß", "ss", StringComparison.Ordinal), "Hauptstraße 5", postal, "Berlin", secondOwnerId ?? ownerId));
        // Another city no other test uses: a shared street address alone is a possible duplicate, so the other tests' planted records must not live here.
        // A house number of its own too: the same street and number in two towns counts as one place with both town
        // fields mistyped, and the similar names of two tests' records then paired them now and then.
        var elsewhere = await InsertDirectAsync(app, Person("Jürgen", last, $"Hauptstraße {Random.Shared.Next(100, 10_000)}", UniquePostalCode(), UniqueCity("München"), ownerId));
        return (first, second, elsewhere);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Scan_FindsAPlantedPair_WithScoreAndReasons_AndNotANonDuplicate(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (first, second, elsewhere) = await PlantAsync(app);

        await ScanAsync(app);

        var clusters = await ClustersAsync(app.Client);
        var pair = PairOf(clusters, first, second) ?? throw new Xunit.Sdk.XunitException("the planted pair is not in the queue");
        Assert.True(pair.GetProperty("score").GetDouble() > 0.8);
        Assert.Contains("address", pair.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        Assert.Contains("Same street address", pair.GetProperty("reasonText").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("scan", pair.Str("source"));
        Assert.False(Lists(clusters, elsewhere), "the same name in another city is not a likely duplicate: " + string.Join("\n", clusters.Where(c => c.GetProperty("members").EnumerateArray().Any(m => m.Id() == elsewhere)).Select(c => c.GetRawText())));
        var cluster = clusters.Single(c => c.GetProperty("members").EnumerateArray().Any(m => m.Id() == first));
        Assert.Contains(cluster.GetProperty("members").EnumerateArray(), m => m.Id() == second && m.Str("displayName").Contains("Weiss", StringComparison.Ordinal));

        // Scanning again adds no second row for the pair.
        await ScanAsync(app);
        var (a, b) = DuplicatePair.Canonical(first, second);
        Assert.Equal(1, await app.QueryAsync(d => d.Set<DuplicatePair>().CountAsync(p => p.FirstId == a && p.SecondId == b)));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Scan_FindsAPairThatSharesOnlyTheStreet_ByTheStreetKey(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        // A one-letter typo that changes how the family name sounds, and a mistyped postal code: name key, sound,
        // name block and postal code all differ; the street, number and city are the same.
        var city = UniqueCity("Neustadt");
        var postal = UniquePostalCode();
        var mistyped = postal[..4] + (char)('0' + ((postal[4] - '0' + 1) % 10));
        var first = await InsertDirectAsync(app, Person("Annegret", "Weber", "Lindenstraße 12", postal, city));
        var second = await InsertDirectAsync(app, Person("Annegret", "Wener", "Lindenstr. 12", mistyped, city));

        await ScanAsync(app);

        var pair = PairOf(await ClustersAsync(app.Client), first, second) ?? throw new Xunit.Sdk.XunitException("the pair sharing the street is not in the queue");
        Assert.Contains("address", pair.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Dismiss_IsPermanent_AcrossAFullRescan(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (first, second, _) = await PlantAsync(app);
        await ScanAsync(app);
        var pairId = PairOf(await ClustersAsync(app.Client), first, second)!.Value.Id();

        var dismissed = await (await app.Client.PostAsync($"{Queue}/{pairId}/dismiss", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("dismissed", dismissed.Str("status"));
        Assert.Equal(app.Admin.Id, dismissed.GetProperty("decidedBy").GetGuid());

        await app.QueryAsync(async d => { await DuplicateScan.RestartAsync(d, CancellationToken.None); return 0; });
        await ScanAsync(app);

        Assert.Null(PairOf(await ClustersAsync(app.Client), first, second));
        Assert.NotNull(PairOf(await ClustersAsync(app.Client, "dismissed"), first, second));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Defer_HidesThePairUntilTheDate_ThenItReappears(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (first, second, _) = await PlantAsync(app);
        await ScanAsync(app);
        var pairId = PairOf(await ClustersAsync(app.Client), first, second)!.Value.Id();

        var deferred = await (await app.Client.PostJsonAsync($"{Queue}/{pairId}/defer", new { })).ExpectAsync(HttpStatusCode.OK);
        var until = deferred.GetProperty("deferredUntil").GetDateTime();
        Assert.InRange(until, DateTime.UtcNow.AddDays(29), DateTime.UtcNow.AddDays(31));
        await ScanAsync(app);
        Assert.Null(PairOf(await ClustersAsync(app.Client), first, second));
        Assert.NotNull(PairOf(await ClustersAsync(app.Client, "deferred"), first, second));

        // The date passes (moved back rather than waited for): the pair is open again.
        var past = DateTime.UtcNow.AddMinutes(-1);
        await app.QueryAsync(d => d.Set<DuplicatePair>().Where(p => p.Id == pairId).ExecuteUpdateAsync(s => s.SetProperty(p => p.DeferredUntil, past)));
        Assert.NotNull(PairOf(await ClustersAsync(app.Client), first, second));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task IncrementalScan_PicksUpACustomerInsertedAfterTheFirstScan(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var last = UniqueWeiss();
        var postal = UniquePostalCode();
        var first = await InsertDirectAsync(app, Person("Jürgen", last, "Hauptstr. 5", postal, "Berlin"));
        await ScanAsync(app);
        Assert.Equal(DuplicateScanPhase.Incremental,
            await app.QueryAsync(d => d.Set<DuplicateScanState>().Where(s => s.RecordType == DuplicateRecordType.Customer).Select(s => s.Phase).SingleAsync()));

        var second = await InsertDirectAsync(app, Person("Jürgen", last.Replace("ß", "ss", StringComparison.Ordinal), "Hauptstraße 5", postal, "Berlin"));
        var summary = await ScanAsync(app);

        Assert.True(summary.PairsAdded >= 1);
        Assert.NotNull(PairOf(await ClustersAsync(app.Client), first, second));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_MediumConfidence_PutsThePairInTheQueue_Once(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var last = "Okonkwo" + Builders.Unique("")[..4];
        var existing = await (await app.Client.PostJsonAsync("/api/v1/customers",
            new { type = "individual", displayName = $"Robert {last}", primaryContact = new { firstName = "Robert", lastName = last } })).ExpectAsync(HttpStatusCode.Created);

        var created = await (await app.Client.PostJsonAsync("/api/v1/customers",
            new { type = "individual", displayName = $"Bob {last}", primaryContact = new { firstName = "Bob", lastName = last } })).ExpectAsync(HttpStatusCode.Created);

        var pair = PairOf(await ClustersAsync(app.Client), existing.Id(), created.Id()) ?? throw new Xunit.Sdk.XunitException("the medium-tier pair is not in the queue");
        Assert.Equal("create", pair.Str("source"));
        await ScanAsync(app);
        var (a, b) = DuplicatePair.Canonical(existing.Id(), created.Id());
        Assert.Equal(1, await app.QueryAsync(d => d.Set<DuplicatePair>().CountAsync(p => p.FirstId == a && p.SecondId == b)));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Merge_MarksThePairMerged(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (first, second, _) = await PlantAsync(app);
        await ScanAsync(app);

        await (await app.Client.PostJsonAsync("/api/v1/customers/merge", new { ids = new[] { first, second }, survivorId = first })).ExpectAsync(HttpStatusCode.OK);

        Assert.Null(PairOf(await ClustersAsync(app.Client), first, second));
        var pair = await app.QueryAsync(d => d.Set<DuplicatePair>().AsNoTracking().SingleAsync(p => (p.FirstId == first && p.SecondId == second) || (p.FirstId == second && p.SecondId == first)));
        Assert.Equal(DuplicatePairStatus.Merged, pair.Status);
        Assert.Equal(app.Admin.Id, pair.DecidedBy);
        // The merged-away customer is gone, and with it the pair from the queue's reach.
        await (await app.Client.PostAsync($"{Queue}/{pair.Id}/reopen", null)).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Access_RepIsRefused_ManagerSeesOnlyPairsOfRecordsInReach(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (_, rep) = await app.UserAsync(Role.Rep);
        var (manager, managerClient) = await app.UserAsync(Role.Manager);
        var (stranger, _) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id);
        var mine = await PlantAsync(app, ownerId: manager.Id);
        var half = await PlantAsync(app, ownerId: manager.Id, secondOwnerId: stranger.Id);
        await ScanAsync(app);

        await (await rep.GetAsync(Queue)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await managerClient.PostAsync($"{Queue}/scan", null)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        var seen = await ClustersAsync(managerClient);
        Assert.NotNull(PairOf(seen, mine.First, mine.Second));
        Assert.Null(PairOf(seen, half.First, half.Second));
        Assert.False(Lists(seen, half.Second));

        var hidden = PairOf(await ClustersAsync(app.Client), half.First, half.Second)!.Value.Id();
        await (await managerClient.PostAsync($"{Queue}/{hidden}/dismiss", null)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await managerClient.PostAsync($"{Queue}/{PairOf(seen, mine.First, mine.Second)!.Value.Id()}/dismiss", null)).ExpectAsync(HttpStatusCode.OK);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task BadInput_AnswersProblemsNamingTheField_AndChangesNothing(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        await (await app.Client.GetAsync($"{Queue}?type=supplier")).ExpectProblemAsync(HttpStatusCode.BadRequest, "type");
        await (await app.Client.GetAsync($"{Queue}?status=maybe")).ExpectProblemAsync(HttpStatusCode.BadRequest, "status");
        await (await app.Client.GetAsync($"{Queue}?cursor=nonsense")).ExpectProblemAsync(HttpStatusCode.BadRequest, "cursor");
        await (await app.Client.GetAsync($"{Queue}?limit=0")).ExpectProblemAsync(HttpStatusCode.BadRequest, "limit");
        await (await app.Client.PostAsync($"{Queue}/{Guid.NewGuid()}/dismiss", null)).ExpectProblemAsync(HttpStatusCode.NotFound);

        var (first, second, _) = await PlantAsync(app);
        await ScanAsync(app);
        var pairId = PairOf(await ClustersAsync(app.Client), first, second)!.Value.Id();
        await (await app.Client.PostJsonAsync($"{Queue}/{pairId}/defer", new { until = DateTime.UtcNow.AddDays(-1) })).ExpectProblemAsync(HttpStatusCode.BadRequest, "until");
        await (await app.Client.PostJsonAsync($"{Queue}/{pairId}/defer", new { until = DateTime.UtcNow.AddYears(3) })).ExpectProblemAsync(HttpStatusCode.BadRequest, "until");
        Assert.Equal(DuplicatePairStatus.Open, await app.QueryAsync(d => d.Set<DuplicatePair>().Where(p => p.Id == pairId).Select(p => p.Status).SingleAsync()));

        var started = await (await app.Client.PostAsync($"{Queue}/scan", null)).ExpectAsync(HttpStatusCode.Accepted);
        Assert.Equal("customer", started.Str("recordType"));
    }
}
