using System.Collections.Concurrent;

namespace Aida.Features.Customers.Duplicates;

/// <summary>
/// What a long run of blocking lookups remembers between its steps: an import between its batches, the duplicate
/// scan between the chunks of a pass. A common key (a frequent surname's sound, a shared mail domain) then costs
/// one read per run instead of one per step. It remembers the keys found with the full cap of holders
/// (<see cref="Keys"/>, with the holders' ids) and what the scorer compares for those holders
/// (<see cref="Remember"/>).
/// A key's first holders by id do not change as customers are added (new ids sort last). A holder edited during
/// the run is compared as it was first read.
/// </summary>
/// <param name="candidateLimit">Holders whose match keys are kept at most, so that a long run's memory stays bounded.</param>
/// <param name="addressLimit">Holders whose addresses alone are kept at most (<see cref="RememberAddresses"/>).</param>
public sealed class BlockingMemory(int candidateLimit = int.MaxValue, int addressLimit = 0)
{
    private readonly ConcurrentDictionary<Guid, StoredCandidate> _candidates = new();
    private readonly ConcurrentDictionary<Guid, IReadOnlyList<StreetAddress>> _addresses = new();
    private int _candidateCount;
    private int _addressCount;

    /// <summary>The saturated keys, in the caller's own notation, with their first holders' ids.</summary>
    public ConcurrentDictionary<string, List<Guid>> Keys { get; } = new(StringComparer.Ordinal);

    public bool TryGetCandidate(Guid id, out StoredCandidate candidate) => _candidates.TryGetValue(id, out candidate!);

    /// <summary>Keeps a common key's holder for the steps after this one, while there is room.</summary>
    public void Remember(StoredCandidate candidate)
    {
        if (Volatile.Read(ref _candidateCount) < candidateLimit && _candidates.TryAdd(candidate.Id, candidate))
        {
            Interlocked.Increment(ref _candidateCount);
        }
    }

    public bool TryGetAddresses(Guid id, out IReadOnlyList<StreetAddress> addresses) => _addresses.TryGetValue(id, out addresses!);

    /// <summary>
    /// Keeps where a common key's holder is, while there is room: an import reads only the addresses of most of the
    /// holders its name keys bring (most cannot be duplicates wherever they are), and these are a small part of what
    /// <see cref="Remember"/> keeps of a holder, so many more of them fit.
    /// </summary>
    public void RememberAddresses(Guid id, IReadOnlyList<StreetAddress> addresses)
    {
        if (Volatile.Read(ref _addressCount) < addressLimit && _addresses.TryAdd(id, addresses))
        {
            Interlocked.Increment(ref _addressCount);
        }
    }

    /// <summary>Forgets everything (a new pass starts).</summary>
    public void Clear()
    {
        Keys.Clear();
        _candidates.Clear();
        _addresses.Clear();
        Interlocked.Exchange(ref _candidateCount, 0);
        Interlocked.Exchange(ref _addressCount, 0);
    }
}
