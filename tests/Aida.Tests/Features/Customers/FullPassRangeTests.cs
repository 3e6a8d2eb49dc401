using Aida.Features.Customers.Duplicates;

namespace Aida.Tests.Features.Customers;

/// <summary>
/// The duplicate scan's full pass pairs records in memory (<see cref="FullPassRange"/>): range by range, each range
/// against itself and every later record. Whatever the range and chunk sizes, it must compare exactly the pairs the
/// blocking rule names — two records sharing a key, and for a common key one of them among its first holders —
/// each once, with the newer record as the probe.
/// </summary>
public sealed class FullPassRangeTests
{
    private static readonly MatchResult Alike = new(1, ["test"]);

    /// <summary>Records with keys drawn from small sets, so that keys are shared often; ids ascending.</summary>
    private static List<ScanRecord> Records(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i =>
        {
            var keys = new List<string> { "n:" + random.Next(12), "e:" + random.Next(60) };
            if (random.Next(3) == 0)
            {
                keys.Add("a:" + random.Next(4) + CommonKeys.Detail + random.Next(3));
            }

            return new ScanRecord(new Guid(i + 1, 0, 0, new byte[8]), [.. keys], i);
        }).ToList();
    }

    /// <summary>Names 0–2 and postal code 0 are common, each with a few first holders.</summary>
    private static CommonKeys Common(List<ScanRecord> records) => new(new Dictionary<string, HashSet<Guid>>
    {
        ["n:0"] = records.Where(r => r.Keys.Contains("n:0")).Take(3).Select(r => r.Id).ToHashSet(),
        ["n:1"] = records.Where(r => r.Keys.Contains("n:1")).Take(2).Select(r => r.Id).ToHashSet(),
        ["n:2"] = [],
        ["a:0"] = records.Where(r => r.Keys.Any(k => k.StartsWith("a:0" + CommonKeys.Detail, StringComparison.Ordinal))).Take(2).Select(r => r.Id).ToHashSet(),
    });

    /// <summary>The rule, pair by pair.</summary>
    private static HashSet<(Guid, Guid)> Expected(List<ScanRecord> records, CommonKeys common)
    {
        var expected = new HashSet<(Guid, Guid)>();
        for (var i = 0; i < records.Count; i++)
        {
            for (var j = i + 1; j < records.Count; j++)
            {
                var (a, b) = (records[i], records[j]);
                if (a.Keys.Intersect(b.Keys).Any(key => !common.TryGetFirstHolders(key, out var first) || first.Contains(a.Id) || first.Contains(b.Id)))
                {
                    expected.Add((a.Id, b.Id));
                }
            }
        }

        return expected;
    }

    /// <summary>The scan's loop: each range against itself and the later records, streamed in chunks.</summary>
    private static List<(Guid A, Guid B, MatchResult Match)> Scan(List<ScanRecord> records, CommonKeys common, int rangeSize, int chunkSize, List<(Guid Probe, Guid Candidate)> probes)
    {
        MatchResult? Score(ScanRecord probe, ScanRecord candidate, double atLeast)
        {
            lock (probes)
            {
                probes.Add((probe.Id, candidate.Id));
            }

            return Alike;
        }

        var found = new List<(Guid, Guid, MatchResult)>();
        for (var start = 0; start < records.Count; start += rangeSize)
        {
            var range = new FullPassRange(records.Skip(start).Take(rangeSize).ToList(), common, Score, 0.5);
            found.AddRange(range.PairsWithin());
            for (var later = start + rangeSize; later < records.Count; later += chunkSize)
            {
                found.AddRange(range.PairsWith(records.Skip(later).Take(chunkSize).ToList()));
            }
        }

        return found;
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 3)]
    [InlineData(50, 13)]
    [InlineData(400, 400)]
    public void EveryRangeSize_ComparesExactlyThePairsTheBlockingRuleNames_EachOnce_NewerAsProbe(int rangeSize, int chunkSize)
    {
        var records = Records(400, seed: rangeSize);
        var common = Common(records);
        var expected = Expected(records, common);
        var probes = new List<(Guid Probe, Guid Candidate)>();

        var found = Scan(records, common, rangeSize, chunkSize, probes);

        var pairs = found.Select(f => f.A.CompareTo(f.B) < 0 ? (f.A, f.B) : (f.B, f.A)).ToList();
        Assert.Equal(pairs.Count, pairs.Distinct().Count());
        Assert.True(expected.SetEquals(pairs), $"expected {expected.Count} pairs, found {pairs.Count}; missing {expected.Except(pairs).Count()}, extra {pairs.Except(expected).Count()}");
        Assert.All(probes, p => Assert.True(p.Probe.CompareTo(p.Candidate) > 0));
        Assert.True(expected.Count > 100, "the records share keys often enough to test the rule");
    }

    [Fact]
    public void ACommonKey_PairsEachHolderWithItsFirstHolders_NotTheOthersWithEachOther()
    {
        var id = (int n) => new Guid(n, 0, 0, new byte[8]);
        var records = Enumerable.Range(1, 6).Select(n => new ScanRecord(id(n), ["s:smith"], n)).ToList();
        var common = new CommonKeys(new Dictionary<string, HashSet<Guid>> { ["s:smith"] = [id(1), id(2)] });

        var found = Scan(records, common, rangeSize: 4, chunkSize: 1, []);

        var pairs = found.Select(f => f.A.CompareTo(f.B) < 0 ? (f.A, f.B) : (f.B, f.A)).ToHashSet();
        // 1 and 2 with each other and with 3–6; 3–6 never with each other.
        Assert.Equal(1 + 4 + 4, pairs.Count);
        Assert.DoesNotContain((id(3), id(4)), pairs);
        Assert.Contains((id(2), id(6)), pairs);
    }

    [Fact]
    public void AnAddressKey_IsCountedByItsPostalCode_AndPairsOnlyOnTheSameHouseNumber()
    {
        var id = (int n) => new Guid(n, 0, 0, new byte[8]);
        var key = (string number) => "a:10115" + CommonKeys.Detail + number;
        var records = new List<ScanRecord>
        {
            new(id(1), [key("5")], 1),
            new(id(2), [key("7")], 2),
            new(id(3), [key("5")], 3),
            new(id(4), [key("7")], 4),
        };
        var common = new CommonKeys(new Dictionary<string, HashSet<Guid>> { ["a:10115"] = [id(1)] });

        var pairs = Scan(records, common, rangeSize: 2, chunkSize: 2, [])
            .Select(f => f.A.CompareTo(f.B) < 0 ? (f.A, f.B) : (f.B, f.A)).ToHashSet();

        // 1 is a first holder of the postal code and shares number 5 with 3; 2 and 4 share number 7 but neither is a first holder.
        Assert.Equal([(id(1), id(3))], pairs);
    }
}
