using System.Collections.Concurrent;

namespace Aida.Features.Customers.Duplicates;

/// <summary>
/// A record as the scan's full pass holds it: its blocking keys in its type's notation (<c>n:</c> name key, <c>e:</c>
/// mailbox, …) and what its type's scorer compares (<see cref="IDuplicateRecords.Score"/>).
/// </summary>
/// <remarks>
/// A key may name a detail after <see cref="CommonKeys.Detail"/> (an address's house number after its postal code):
/// two records pair only on the whole key, and the part before the separator is the one counted as common.
/// </remarks>
public sealed record ScanRecord(Guid Id, string[] Keys, object Compared);

/// <summary>
/// The blocking keys held by more records than the create path's bounded lookup returns
/// (<see cref="DuplicateOptions.CandidatesPerKey"/>), each with those first holders by id. On create, a record
/// sharing such a key is compared only with its first holders; the full pass keeps that rule, so a common surname's
/// sound or a shared mail domain pairs each holder with the key's first holders, not every holder with every other.
/// </summary>
public sealed class CommonKeys(IReadOnlyDictionary<string, HashSet<Guid>> firstHolders)
{
    /// <summary>Separates a key's counted part from its detail (a character no name, mailbox, phone or postal code holds).</summary>
    public const char Detail = '\u001f';

    public int Count => firstHolders.Count;

    /// <summary>The first holders of the common key <paramref name="key"/> (its part before <see cref="Detail"/>); false for a key that is not common.</summary>
    public bool TryGetFirstHolders(string key, out HashSet<Guid> holders)
    {
        var detail = key.IndexOf(Detail, StringComparison.Ordinal);
        return firstHolders.TryGetValue(detail < 0 ? key : key[..detail], out holders!);
    }
}

/// <summary>
/// The full pass's pairing (issue 17, duplicate scan at a million records): one range of records held in memory,
/// indexed by blocking key, against itself and then against every later record streamed past it in id order.
/// Blocking is in memory: two records are compared when they share a key and, for a common key, one of them is among
/// its first holders — the pairs the create path's lookup would bring, found without a query per record. Random reads
/// of candidates by id were what kept the chunked scan at a few hundred records a second at this size.
/// </summary>
public sealed class FullPassRange
{
    private readonly IReadOnlyList<ScanRecord> _records;
    private readonly CommonKeys _common;
    private readonly Func<ScanRecord, ScanRecord, double, MatchResult?> _score;
    private readonly double _floor;

    /// <summary>Every key of the range's records with the positions of its holders (<see cref="PositionIndex"/>).</summary>
    private readonly PositionIndex _holders;

    /// <summary>The common keys of the range with the positions of those holders that are among its first holders.</summary>
    private readonly PositionIndex _firstHolders;

    /// <param name="records">The range, in id order.</param>
    /// <param name="score">
    /// The type's scorer (<see cref="IDuplicateRecords.Score"/>), given the floor; the newer record (UUIDv7: the larger
    /// id) is the probe, as on create.
    /// </param>
    /// <param name="floor">The lowest score reported (<see cref="DuplicateOptions.ReportFloor"/>).</param>
    public FullPassRange(IReadOnlyList<ScanRecord> records, CommonKeys common, Func<ScanRecord, ScanRecord, double, MatchResult?> score, double floor)
    {
        _records = records;
        _common = common;
        _score = score;
        _floor = floor;
        var keys = records.Sum(r => r.Keys.Length);
        _holders = new PositionIndex(keys);
        _firstHolders = new PositionIndex(0);
        for (var position = 0; position < records.Count; position++)
        {
            var record = records[position];
            foreach (var key in record.Keys)
            {
                _holders.Add(key, position);
                if (common.TryGetFirstHolders(key, out var first) && first.Contains(record.Id))
                {
                    _firstHolders.Add(key, position);
                }
            }
        }
    }

    public IReadOnlyList<ScanRecord> Records => _records;

    /// <summary>The likely duplicates among the range's own records, each pair once.</summary>
    public List<(Guid A, Guid B, MatchResult Match)> PairsWithin() => Pair(_records, within: true);

    /// <summary>The likely duplicates between the range and <paramref name="later"/> (records after the range), each pair once.</summary>
    public List<(Guid A, Guid B, MatchResult Match)> PairsWith(IReadOnlyList<ScanRecord> later) => Pair(later, within: false);

    private List<(Guid A, Guid B, MatchResult Match)> Pair(IReadOnlyList<ScanRecord> probes, bool within)
    {
        var found = new ConcurrentBag<(Guid, Guid, MatchResult)>();
        Parallel.For(0, probes.Count, () => new HashSet<int>(), (index, _, candidates) =>
        {
            var probe = probes[index];
            candidates.Clear();
            foreach (var key in probe.Keys)
            {
                // A common key pairs its first holders with everyone holding it, and no two others.
                var holders = !_common.TryGetFirstHolders(key, out var first) || first.Contains(probe.Id) ? _holders : _firstHolders;
                foreach (var position in holders.PositionsOf(key))
                {
                    // Within the range, each pair is taken from its later record only.
                    if (!within || position < index)
                    {
                        candidates.Add(position);
                    }
                }
            }

            foreach (var position in candidates)
            {
                var other = _records[position];
                if (other.Id == probe.Id)
                {
                    continue;
                }

                var match = probe.Id.CompareTo(other.Id) > 0 ? _score(probe, other, _floor) : _score(other, probe, _floor);
                if (match is not null)
                {
                    found.Add((other.Id, probe.Id, match));
                }
            }

            return candidates;
        }, _ => { });
        return found.ToList();
    }

    /// <summary>
    /// Keys with the positions of their holders, as chains through two arrays: most keys (a mailbox, a phone) have one
    /// holder in a range, and a list per key cost more memory than the records it pointed to.
    /// </summary>
    private sealed class PositionIndex(int capacity)
    {
        private readonly Dictionary<string, int> _last = new(capacity, StringComparer.Ordinal);
        private readonly List<(int Position, int Previous)> _links = new(capacity);

        public void Add(string key, int position)
        {
            var previous = _last.TryGetValue(key, out var last) ? last : -1;
            _links.Add((position, previous));
            _last[key] = _links.Count - 1;
        }

        public IEnumerable<int> PositionsOf(string key)
        {
            if (!_last.TryGetValue(key, out var link))
            {
                yield break;
            }

            while (link >= 0)
            {
                var (position, previous) = _links[link];
                yield return position;
                link = previous;
            }
        }
    }
}
