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
        foreach (var existing in await ExistingAsync(db, keys, cancellationToken))
        {
            index.Add(new Candidate(existing.Keys, existing.Id, null));
        }

        var matches = new BatchMatch?[batch.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            var best = index.Candidates(keys[i])
                .Select(candidate => (candidate, DuplicateScore.Compute(keys[i], candidate.Keys).Score))
                .OrderByDescending(c => c.Score).FirstOrDefault();
            if (best.candidate is not null && best.Score > options.Threshold)
            {
                matches[i] = new BatchMatch(best.candidate.Id, best.candidate.Row, best.Score);
                continue;
            }

            index.Add(new Candidate(keys[i], null, i));
        }

        return matches;
    }

    /// <summary>Existing customers sharing any key with the batch, with what the scorer compares (<see cref="CandidateKeys"/>).</summary>
    private static async Task<List<StoredCandidate>> ExistingAsync(AidaDb db, List<MatchKeys> batch, CancellationToken cancellationToken)
    {
        var nameKeys = batch.Select(k => k.NameKey).Where(k => k.Length > 0).Distinct().ToList();
        var phonetics = batch.Select(k => k.NamePhonetic).Where(k => k.Length > 0).Distinct().ToList();
        var emails = batch.SelectMany(k => k.Emails).Distinct().ToList();
        var phones = batch.SelectMany(k => k.Phones).Distinct().ToList();
        var domains = batch.SelectMany(k => k.Domains).Distinct().ToList();
        var nameBlocks = batch.Select(DuplicateDetector.NameBlockOf).Where(k => k.Length > 0).Distinct().ToList();
        var streetKeys = batch.SelectMany(DuplicateDetector.StreetKeys).Distinct().ToList();

        var customers = CustomerAccess.All(db).AsNoTracking();
        var contacts = CustomerAccess.AllContacts(db).AsNoTracking();
        var ids = new HashSet<Guid>();
        ids.UnionWith(await InChunksAsync(nameKeys, chunk => customers.Where(c => chunk.Contains(c.NameKey)).Select(c => c.Id), cancellationToken));
        ids.UnionWith(await InChunksAsync(nameBlocks, chunk => customers.Where(c => c.NameBlock != null && chunk.Contains(c.NameBlock)).Select(c => c.Id), cancellationToken));
        ids.UnionWith(await InChunksAsync(phonetics, chunk => customers.Where(c => chunk.Contains(c.NamePhonetic)).Select(c => c.Id), cancellationToken));
        ids.UnionWith(await InChunksAsync(emails, chunk => contacts.Where(c => c.EmailNormalized != null && chunk.Contains(c.EmailNormalized)).Select(c => c.CustomerId), cancellationToken));
        ids.UnionWith(await InChunksAsync(phones, chunk => contacts.Where(c => c.PhoneKey != null && chunk.Contains(c.PhoneKey)).Select(c => c.CustomerId), cancellationToken));
        ids.UnionWith(await InChunksAsync(domains, chunk => contacts.Where(c => c.EmailDomain != null && chunk.Contains(c.EmailDomain)).Select(c => c.CustomerId), cancellationToken));
        ids.UnionWith(await InChunksAsync(domains, chunk => CustomerAccess.AllAccounts(db).AsNoTracking().Where(a => a.WebsiteDomain != null && chunk.Contains(a.WebsiteDomain)).Select(a => a.CustomerId), cancellationToken));
        // Addresses by street key (number, street, city), not by postal code alone: a postal code holds thousands of
        // customers, and reading them all for every batch made a large import quadratic.
        ids.UnionWith(await InChunksAsync(streetKeys, chunk => db.Set<Address>().IgnoreQueryFilters().AsNoTracking().Where(a => a.DeletedAt == null && a.StreetKey != null && chunk.Contains(a.StreetKey)).Select(a => a.CustomerId), cancellationToken));

        return await CandidateKeys.LoadAsync(db, ids.ToList(), cancellationToken);
    }

    private static async Task<List<TResult>> InChunksAsync<TKey, TResult>(
        List<TKey> keys, Func<List<TKey>, IQueryable<TResult>> query, CancellationToken cancellationToken)
    {
        var results = new List<TResult>();
        for (var i = 0; i < keys.Count; i += Chunk)
        {
            results.AddRange(await query(keys.GetRange(i, Math.Min(Chunk, keys.Count - i))).ToListAsync(cancellationToken));
        }

        return results;
    }

    private sealed record Candidate(MatchKeys Keys, Guid? Id, int? Row);

    /// <summary>Customers by each of their keys, at most <paramref name="perKey"/> per key as on create, so a common key cannot make a batch quadratic.</summary>
    private sealed class KeyIndex(int perKey)
    {
        private readonly Dictionary<string, List<Candidate>> _byKey = new(StringComparer.Ordinal);

        public void Add(Candidate candidate)
        {
            foreach (var key in KeysOf(candidate.Keys))
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

        public IEnumerable<Candidate> Candidates(MatchKeys keys) =>
            KeysOf(keys).SelectMany(k => _byKey.TryGetValue(k, out var list) ? list : []).Distinct();

        private static IEnumerable<string> KeysOf(MatchKeys keys)
        {
            if (keys.NameKey.Length > 0)
            {
                yield return "n:" + keys.NameKey;
                yield return "s:" + keys.NamePhonetic;
                yield return "b:" + DuplicateDetector.NameBlockOf(keys);
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
