using Aida.Features.Customers;
using Aida.Features.Customers.Accounts;
using Aida.Features.Customers.Addresses;
using Aida.Features.Customers.Contacts;
using Aida.Features.Customers.Duplicates;

namespace Aida.Features.Import;

/// <summary>
/// Duplicate detection for a whole import batch at once: the batch's blocking keys are looked up with a
/// few IN queries instead of one query per row, then every row is scored in memory against what was found
/// and against the rows before it in the same batch. Rows whose best match is above the threshold are
/// left out; scoring is the same <see cref="DuplicateScore"/> the API uses.
/// </summary>
public static class BatchDuplicates
{
    private const int Chunk = 500;

    public static async Task<List<(long Row, NewCustomer Customer)>> WithoutDuplicatesAsync(
        AidaDb db, List<(long Row, NewCustomer Customer)> batch, DuplicateOptions options, CancellationToken cancellationToken)
    {
        var matches = await MatchAsync(db, batch.Select(b => b.Customer).ToList(), options, cancellationToken);
        return batch.Where((_, i) => matches[i] is null).ToList();
    }

    /// <summary>
    /// For each new customer, its likeliest duplicate above the threshold: an existing customer, or an
    /// earlier one of <paramref name="batch"/> (by index); null when it has none. A row that matches is
    /// not itself a candidate for the rows after it, so a chain of near-copies all point at the first.
    /// </summary>
    public static async Task<BatchMatch?[]> MatchAsync(
        AidaDb db, IReadOnlyList<NewCustomer> batch, DuplicateOptions options, CancellationToken cancellationToken)
    {
        var keys = batch.Select(b => DuplicateDetector.KeysOf(b.Probe())).ToList();
        var index = new KeyIndex(options.CandidatesPerKey);
        foreach (var existing in await ExistingAsync(db, keys, options, cancellationToken))
        {
            index.Add(new Candidate(existing.Keys, existing.Id, null));
        }

        var matches = new BatchMatch?[batch.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            var row = new Candidate(keys[i], null, i);
            var best = index.Candidates(row)
                .Select(candidate => (candidate, DuplicateScore.Compute(keys[i], candidate.Keys).Score))
                .OrderByDescending(c => c.Score).FirstOrDefault();
            if (best.candidate is not null && best.Score > options.Threshold)
            {
                matches[i] = new BatchMatch(best.candidate.Id, best.candidate.Row, best.Score);
                continue;
            }

            index.Add(row);
        }

        return matches;
    }

    /// <summary>Existing customers sharing any key with the batch (capped per key), with what the scorer compares (<see cref="CandidateKeys"/>).</summary>
    private static async Task<List<StoredCandidate>> ExistingAsync(AidaDb db, List<MatchKeys> batch, DuplicateOptions options, CancellationToken cancellationToken)
    {
        var nameKeys = batch.Select(k => k.NameKey).Where(k => k.Length > 0).Distinct().ToList();
        var phonetics = batch.Select(k => k.NamePhonetic).Where(k => k.Length > 0).Distinct().ToList();
        var emails = batch.SelectMany(k => k.Emails).Distinct().ToList();
        var phones = batch.SelectMany(k => k.Phones).Distinct().ToList();
        var domains = batch.SelectMany(k => k.Domains).Distinct().ToList();
        var nameBlocks = batch.Select(k => k.NameBlock).Where(k => k.Length > 0).Distinct().ToList();
        var streetKeys = batch.SelectMany(DuplicateDetector.StreetKeys).Distinct().ToList();

        var customers = CustomerAccess.All(db).AsNoTracking();
        var contacts = CustomerAccess.AllContacts(db).AsNoTracking();
        var ids = new HashSet<Guid>();
        var perKey = options.CandidatesPerKey;
        ids.UnionWith(await CappedAsync(nameKeys, perKey, chunk => customers.Where(c => chunk.Contains(c.NameKey)).Select(c => new KeyHit(c.NameKey, c.Id)), cancellationToken));
        ids.UnionWith(await CappedAsync(nameBlocks, perKey, chunk => customers.Where(c => c.NameBlock != null && chunk.Contains(c.NameBlock)).Select(c => new KeyHit(c.NameBlock!, c.Id)), cancellationToken));
        ids.UnionWith(await CappedAsync(phonetics, perKey, chunk => customers.Where(c => chunk.Contains(c.NamePhonetic)).Select(c => new KeyHit(c.NamePhonetic, c.Id)), cancellationToken));
        ids.UnionWith(await CappedAsync(emails, perKey, chunk => contacts.Where(c => c.EmailNormalized != null && chunk.Contains(c.EmailNormalized)).Select(c => new KeyHit(c.EmailNormalized!, c.CustomerId)), cancellationToken));
        ids.UnionWith(await CappedAsync(phones, perKey, chunk => contacts.Where(c => c.PhoneKey != null && chunk.Contains(c.PhoneKey)).Select(c => new KeyHit(c.PhoneKey!, c.CustomerId)), cancellationToken));
        ids.UnionWith(await CappedAsync(domains, perKey, chunk => contacts.Where(c => c.EmailDomain != null && chunk.Contains(c.EmailDomain)).Select(c => new KeyHit(c.EmailDomain!, c.CustomerId)), cancellationToken));
        ids.UnionWith(await CappedAsync(domains, perKey, chunk => CustomerAccess.AllAccounts(db).AsNoTracking().Where(a => a.WebsiteDomain != null && chunk.Contains(a.WebsiteDomain)).Select(a => new KeyHit(a.WebsiteDomain!, a.CustomerId)), cancellationToken));
        // Addresses by street key (number, street, city), not by postal code alone: a postal code holds thousands of
        // customers, and reading them all for every batch made a large import quadratic.
        ids.UnionWith(await CappedAsync(streetKeys, perKey, chunk => db.Set<Address>().IgnoreQueryFilters().AsNoTracking().Where(a => a.DeletedAt == null && a.StreetKey != null && chunk.Contains(a.StreetKey)).Select(a => new KeyHit(a.StreetKey!, a.CustomerId)), cancellationToken));

        return await CandidateKeys.LoadAsync(db, ids.ToList(), cancellationToken);
    }

    private sealed record KeyHit(string Key, Guid Id);

    /// <summary>
    /// The customers holding each key, at most <paramref name="perKey"/> per key as the create's lookup takes them.
    /// Only ids cross the wire for a common key (a frequent surname's sound); loading and scoring every holder made
    /// each batch cost more as the table grew, and a large import quadratic.
    /// </summary>
    private static async Task<IEnumerable<Guid>> CappedAsync(
        List<string> keys, int perKey, Func<List<string>, IQueryable<KeyHit>> query, CancellationToken cancellationToken)
    {
        var byKey = new Dictionary<string, List<Guid>>(StringComparer.Ordinal);
        for (var i = 0; i < keys.Count; i += Chunk)
        {
            await foreach (var hit in query(keys.GetRange(i, Math.Min(Chunk, keys.Count - i))).AsAsyncEnumerable().WithCancellation(cancellationToken))
            {
                if (!byKey.TryGetValue(hit.Key, out var holders))
                {
                    byKey[hit.Key] = holders = [];
                }

                holders.Add(hit.Id);
            }
        }

        // The lowest ids (the oldest customers: ids are time-ordered) so that the choice does not depend on how a database returns rows.
        return byKey.Values.SelectMany(holders => holders.Count <= perKey ? holders : holders.Order().Take(perKey));
    }

    /// <summary>A stored customer or a row of the batch, with its blocking keys worked out once.</summary>
    private sealed class Candidate(MatchKeys keys, Guid? id, int? row)
    {
        public MatchKeys Keys { get; } = keys;

        public Guid? Id { get; } = id;

        public int? Row { get; } = row;

        public string[] IndexKeys { get; } = KeyIndex.KeysOf(keys).ToArray();
    }

    /// <summary>Customers by each of their keys, at most <paramref name="perKey"/> per key as on create, so a common key cannot make a batch quadratic.</summary>
    private sealed class KeyIndex(int perKey)
    {
        private readonly Dictionary<string, List<Candidate>> _byKey = new(StringComparer.Ordinal);

        public void Add(Candidate candidate)
        {
            foreach (var key in candidate.IndexKeys)
            {
                if (!_byKey.TryGetValue(key, out var list))
                {
                    _byKey[key] = list = [];
                }

                if (list.Count < perKey)
                {
                    list.Add(candidate);
                }
            }
        }

        /// <summary>Those sharing a key with <paramref name="probe"/>, each once (by reference: a candidate is one object).</summary>
        public IEnumerable<Candidate> Candidates(Candidate probe) =>
            probe.IndexKeys.SelectMany(k => _byKey.TryGetValue(k, out var list) ? list : []).Distinct(ReferenceEqualityComparer.Instance).Cast<Candidate>();

        public static IEnumerable<string> KeysOf(MatchKeys keys)
        {
            if (keys.NameKey.Length > 0)
            {
                yield return "n:" + keys.NameKey;
                yield return "s:" + keys.NamePhonetic;
                yield return "b:" + keys.NameBlock;
            }

            foreach (var email in keys.Emails)
            {
                yield return "e:" + email;
            }

            foreach (var phone in keys.Phones)
            {
                yield return "p:" + phone;
            }

            foreach (var domain in keys.Domains)
            {
                yield return "d:" + domain;
            }

            // Addresses by postal code and house number, as the create's lookup narrows them.
            foreach (var (postalKey, number) in DuplicateDetector.BlockingAddresses(keys))
            {
                yield return "a:" + postalKey + "|" + number;
            }

            foreach (var street in DuplicateDetector.StreetKeys(keys))
            {
                yield return "t:" + street;
            }
        }
    }
}

/// <summary>A new customer's likeliest duplicate: an existing customer (<see cref="ExistingId"/>) or an earlier row of its batch (<see cref="EarlierIndex"/>).</summary>
public sealed record BatchMatch(Guid? ExistingId, int? EarlierIndex, double Score);
