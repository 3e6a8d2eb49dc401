using Aida.Features.Customers;
using Aida.Features.Customers.Duplicates;
using Aida.Features.Leads;
using Aida.Tests.Features.Leads;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Customers;

/// <summary>
/// The duplicate scan's full pass reads the records in ranges held in memory, each compared with itself and every
/// later record (<see cref="FullPassRange"/>). With ranges of two records, read one at a time, a pair lies across
/// ranges; the pass still finds it, on both databases, for customers and leads. An incremental pass over many changed
/// records (here from two on) holds them as ranges and reads every record past them. With one candidate per key, a
/// key shared by two records is common, and the pass compares its holders only with its first holder, as the create
/// path's bounded lookup does.
/// </summary>
public sealed class DuplicateScanRangesTests(DuplicateScanRangesTests.Server fixture) : IClassFixture<DuplicateScanRangesTests.Server>
{
    public sealed class Server() : AidaFixture(new Dictionary<string, string?>
    {
        ["Duplicates:Scan:RangeSize"] = "2",
        ["Duplicates:Scan:StreamChunkSize"] = "1",
        ["Duplicates:Scan:StreamFrom"] = "2",
        // A key held by two records is already common here: the pass pairs its holders only through the first.
        ["Duplicates:CandidatesPerKey"] = "1",
    });

    private static string Unique() => string.Concat(Guid.NewGuid().ToString("N")[..8].Select(c => (char)('a' + Convert.ToInt32(c.ToString(), 16))));

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task AFullPass_InRangesOfTwo_FindsPairsAcrossRanges_OneStepPerRange(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var u = Unique();
        var first = await DuplicateQueue.InsertDirectAsync(app, DuplicateQueue.Person("Jürgen", "Weiß" + u, "Hauptstr. 5", "10115", "Berlin"));
        foreach (var (name, street, postal) in new[] { ("Anna", "Ringstraße 1", "20095"), ("Piotr", "Marktplatz 9", "80331"), ("Chloé", "Lindenweg 3", "50667") })
        {
            await DuplicateQueue.InsertDirectAsync(app, DuplicateQueue.Person(name, "Other" + Unique(), street, postal, "Elsewhere"));
        }

        var second = await DuplicateQueue.InsertDirectAsync(app, DuplicateQueue.Person("Jürgen", "Weiss" + u, "Hauptstraße 5", "10115", "Berlin"));

        var domain = $"acme{u}.de";
        var lead = (await app.Client.CreateLeadAsync(new { firstName = "Jürgen", lastName = "Weiß" + u, email = $"jw@{domain}", company = $"Acme{u} GmbH", country = "DE" })).Id();
        foreach (var other in new[] { "Mia", "Noah", "Lena" })
        {
            await app.Client.CreateLeadAsync(new { firstName = other, lastName = "Other" + Unique(), email = $"{other.ToLowerInvariant()}@{Unique()}.example" });
        }

        var sameLead = (await app.Client.CreateLeadAsync(new { firstName = "Juergen", lastName = "Weiss" + u, email = $"j.weiss@{domain}", company = $"Acme{u}", country = "DE" })).Id();
        var customers = await app.QueryAsync(d => CustomerAccess.All(d).CountAsync());
        var leads = await app.QueryAsync(d => d.Set<Lead>().CountAsync(l => l.Status == LeadStatus.Active || l.Status == LeadStatus.Unresponsive));

        var summary = await DuplicateQueue.ScanAsync(app);

        // One step per range of two, for each record type; every record read as part of a range once.
        Assert.Equal(((customers + 1) / 2) + ((leads + 1) / 2), summary.Chunks);
        Assert.Equal(customers + leads, summary.Records);
        var pair = DuplicateQueue.PairOf(await DuplicateQueue.ClustersAsync(app.Client, "customer"), first, second)
            ?? throw new Xunit.Sdk.XunitException("the pair across ranges is not in the customer queue");
        Assert.Contains("address", pair.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        Assert.NotNull(DuplicateQueue.PairOf(await DuplicateQueue.ClustersAsync(app.Client, "lead"), lead, sameLead));

        // The pass is over: the next one is incremental and finds nothing new.
        var again = await DuplicateQueue.ScanAsync(app);
        Assert.Equal(0, again.PairsAdded);
        var (a, b) = DuplicatePair.Canonical(first, second);
        Assert.Equal(1, await app.QueryAsync(d => d.Set<DuplicatePair>().CountAsync(p => p.FirstId == a && p.SecondId == b)));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task AnIncrementalPass_OverManyChangedRecords_PairsThemWithOlderRecords_AndWithEachOther(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var u = Unique();
        var older = await DuplicateQueue.InsertDirectAsync(app, DuplicateQueue.Person("Jürgen", "Weiß" + u, "Hauptstr. 5", "10115", "Berlin"));
        await DuplicateQueue.ScanAsync(app);
        Assert.Equal(DuplicateScanPhase.Incremental,
            await app.QueryAsync(d => d.Set<DuplicateScanState>().Where(s => s.RecordType == DuplicateRecordType.Customer).Select(s => s.Phase).SingleAsync()));

        var newer = await DuplicateQueue.InsertDirectAsync(app, DuplicateQueue.Person("Jürgen", "Weiss" + u, "Hauptstraße 5", "10115", "Berlin"));
        var v = Unique();
        var one = await DuplicateQueue.InsertDirectAsync(app, DuplicateQueue.Person("Maria", "Lopez" + v, "Ringstr. 7", "20095", "Hamburg"));
        var other = await DuplicateQueue.InsertDirectAsync(app, DuplicateQueue.Person("Maria", "Lopez" + v, "Ringstraße 7", "20095", "Hamburg"));

        var summary = await DuplicateQueue.ScanAsync(app);

        Assert.True(summary.PairsAdded >= 2, $"{summary.PairsAdded} pairs added");
        var clusters = await DuplicateQueue.ClustersAsync(app.Client, "customer");
        Assert.NotNull(DuplicateQueue.PairOf(clusters, older, newer));
        Assert.NotNull(DuplicateQueue.PairOf(clusters, one, other));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task AFullPass_PairsTheHoldersOfACommonKey_OnlyWithItsFirstHolder(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var u = Unique();
        var postal = Random.Shared.Next(10000, 99999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        // One name in one town, three streets: only the name's keys are shared.
        var first = await DuplicateQueue.InsertDirectAsync(app, DuplicateQueue.Person("Jürgen", "Weiß" + u, "Hauptstraße 5", postal, "Berlin"));
        var second = await DuplicateQueue.InsertDirectAsync(app, DuplicateQueue.Person("Jürgen", "Weiß" + u, "Lindenweg 12", postal, "Berlin"));
        var third = await DuplicateQueue.InsertDirectAsync(app, DuplicateQueue.Person("Jürgen", "Weiß" + u, "Am Markt 3", postal, "Berlin"));
        await app.QueryAsync(async d => { await DuplicateScan.RestartAsync(d, CancellationToken.None); return 0; });

        await DuplicateQueue.ScanAsync(app);

        // The three share their name's key, sound and block, each common: the first customer holds them first, so the
        // second and third are each compared with it (the same name in the same town is a likely duplicate) and not
        // with each other.
        var clusters = await DuplicateQueue.ClustersAsync(app.Client, "customer");
        Assert.NotNull(DuplicateQueue.PairOf(clusters, first, second));
        Assert.NotNull(DuplicateQueue.PairOf(clusters, first, third));
        Assert.Null(DuplicateQueue.PairOf(clusters, second, third));
    }
}
