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
        var rows = batch.Select(b => (Entry: b, Keys: DuplicateDetector.KeysOf(b.Customer.Probe()))).ToList();
        var known = await ExistingAsync(db, rows.Select(r => r.Keys).ToList(), cancellationToken);
        var index = new KeyIndex();
        foreach (var existing in known)
        {
            index.Add(existing);
        }

        var accepted = new List<(long Row, NewCustomer Customer)>(batch.Count);
        foreach (var (entry, keys) in rows)
        {
            var best = index.Candidates(keys).Select(candidate => DuplicateScore.Compute(keys, candidate).Score).DefaultIfEmpty(0).Max();
            if (best > options.Threshold)
            {
                continue;
            }

            accepted.Add(entry);
            index.Add(keys);
        }

        return accepted;
    }

    /// <summary>Existing customers sharing any key with the batch, with what the scorer compares (<see cref="CandidateKeys"/>).</summary>
    private static async Task<List<MatchKeys>> ExistingAsync(AidaDb db, List<MatchKeys> batch, CancellationToken cancellationToken)
    {
        var nameKeys = batch.Select(k => k.NameKey).Where(k => k.Length > 0).Distinct().ToList();
        var phonetics = batch.Select(k => k.NamePhonetic).Where(k => k.Length > 0).Distinct().ToList();
        var emails = batch.SelectMany(k => k.Emails).Distinct().ToList();
        var phones = batch.SelectMany(k => k.Phones).Distinct().ToList();
        var domains = batch.SelectMany(k => k.Domains).Distinct().ToList();
        var nameBlocks = batch.Select(DuplicateDetector.NameBlockOf).Where(k => k.Length > 0).Distinct().ToList();
        var postalKeys = batch.SelectMany(DuplicateDetector.BlockingAddresses).Select(a => a.PostalKey).Distinct().ToList();
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
        ids.UnionWith(await InChunksAsync(postalKeys, chunk => db.Set<Address>().IgnoreQueryFilters().AsNoTracking().Where(a => a.DeletedAt == null && a.PostalKey != null && chunk.Contains(a.PostalKey)).Select(a => a.CustomerId), cancellationToken));
        ids.UnionWith(await InChunksAsync(streetKeys, chunk => db.Set<Address>().IgnoreQueryFilters().AsNoTracking().Where(a => a.DeletedAt == null && a.StreetKey != null && chunk.Contains(a.StreetKey)).Select(a => a.CustomerId), cancellationToken));

        return (await CandidateKeys.LoadAsync(db, ids.ToList(), cancellationToken)).Select(c => c.Keys).ToList();
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

    /// <summary>Customers by each of their keys, for finding a row's candidates in memory.</summary>
    private sealed class KeyIndex
    {
        private readonly Dictionary<string, List<MatchKeys>> _byKey = new(StringComparer.Ordinal);

        public void Add(MatchKeys keys)
        {
            foreach (var key in KeysOf(keys))
            {
                if (!_byKey.TryGetValue(key, out var list))
                {
                    _byKey[key] = list = [];
                }

                list.Add(keys);
            }
        }

        public IEnumerable<MatchKeys> Candidates(MatchKeys keys) =>
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

            // Addresses by postal code only: the row's own number is checked by the scorer, not the index.
            foreach (var (postalKey, _) in DuplicateDetector.BlockingAddresses(keys))
            {
                yield return "a:" + postalKey;
            }

            foreach (var street in DuplicateDetector.StreetKeys(keys))
            {
                yield return "t:" + street;
            }
        }
    }
}
