using Aida.Features.Customers.Addresses;

namespace Aida.Features.Customers.Duplicates;

/// <summary>
/// How the duplicate queue's page offers to merge a cluster: either a page that opens with the records chosen
/// (<paramref name="WizardUrl"/>: the customers' merge wizard), or a form that posts them as <c>record</c> with the one
/// to keep as <c>survivor</c> to <paramref name="FormAction"/> (leads). Shown to users with <paramref name="Permission"/>,
/// for at most <paramref name="MaxRecords"/> records.
/// </summary>
public sealed record DuplicateMergeUi(string Permission, int MaxRecords, Func<IReadOnlyList<Guid>, string>? WizardUrl, string? FormAction);

/// <summary>
/// The records of one type that duplicate review covers: which of them the actor sees (live and in reach), how
/// each is named in the queue, and how the background scan (<see cref="DuplicateScan"/>) walks and pairs them.
/// Customers provide theirs here; leads theirs in their own feature.
/// </summary>
public interface IDuplicateRecords
{
    DuplicateRecordType Type { get; }

    /// <summary>How the queue's page merges a cluster of these records.</summary>
    DuplicateMergeUi Merge { get; }

    IQueryable<Guid> Visible(AidaDb db);

    Task<Dictionary<Guid, DuplicateMemberResponse>> DescribeAsync(AidaDb db, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken);

    /// <summary>
    /// The keys held by more than <paramref name="perKey"/> of the records the scan covers, with their first holders
    /// by id: a full pass's blocking (<see cref="FullPassRange"/>).
    /// </summary>
    Task<CommonKeys> CommonKeysAsync(AidaDb db, int perKey, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="size"/> of the records the scan covers after <paramref name="after"/>, in id order, as a full pass compares them.</summary>
    Task<List<ScanRecord>> LoadRangeAsync(AidaDb db, Guid after, int size, CancellationToken cancellationToken);

    /// <summary>These records, as a pass compares them (those gone or out of the scan left out).</summary>
    Task<List<ScanRecord>> LoadAsync(AidaDb db, List<Guid> ids, CancellationToken cancellationToken);

    /// <summary>
    /// How alike two records loaded by <see cref="LoadRangeAsync"/> are, <paramref name="probe"/> the newer; null when
    /// they score below <paramref name="atLeast"/> (the type may stop weighing them as soon as it knows).
    /// </summary>
    MatchResult? Score(ScanRecord probe, ScanRecord candidate, double atLeast);

    /// <summary>The next chunk of an incremental pass: records written at or after <paramref name="since"/>, after the cursor in id order.</summary>
    Task<(List<Guid> Ids, Guid? Cursor)> NextChangedAsync(AidaDb db, DateTime since, Guid? after, int size, CancellationToken cancellationToken);

    /// <summary>
    /// The likely duplicates of <paramref name="ids"/> among all live records of this type, each pair once, at or
    /// above <see cref="DuplicateOptions.ReportFloor"/>. <paramref name="memory"/> lives as long as the pass.
    /// </summary>
    Task<List<(Guid A, Guid B, MatchResult Match)>> FindPairsAsync(
        AidaDb db, List<Guid> ids, DuplicateOptions options, BlockingMemory memory, ILogger? logger, CancellationToken cancellationToken);

    /// <summary>Stored pairs scored as they are now (the newer record as the probe); a pair with a record gone is left out.</summary>
    Task<Dictionary<(Guid First, Guid Second), MatchResult>> RescoreAsync(
        AidaDb db, IReadOnlyCollection<(Guid First, Guid Second)> pairs, CancellationToken cancellationToken);
}

public sealed class CustomerDuplicateRecords : IDuplicateRecords
{
    public DuplicateRecordType Type => DuplicateRecordType.Customer;

    /// <summary>The merge wizard with the cluster's customers chosen (the first as the page's customer).</summary>
    public DuplicateMergeUi Merge { get; } = new(
        Permissions.CustomersEditProfile, Merges.CustomerMerge.MaxCustomers,
        ids => $"/customers/{ids[0]}/merge?" + string.Join("&", ids.Skip(1).Select(id => "with=" + id)), null);

    public IQueryable<Guid> Visible(AidaDb db) => db.Set<Customer>().Select(c => c.Id);

    public async Task<Dictionary<Guid, DuplicateMemberResponse>> DescribeAsync(AidaDb db, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        var list = ids.ToList();
        var customers = await db.Set<Customer>().AsNoTracking().Where(c => list.Contains(c.Id))
            .Select(c => new { c.Id, c.DisplayName, c.Type, c.Status }).ToListAsync(cancellationToken);
        var contacts = (await db.Set<Contacts.Contact>().AsNoTracking().Where(c => list.Contains(c.CustomerId) && c.IsPrimary)
            .Select(c => new { c.CustomerId, c.Email, c.Phone }).ToListAsync(cancellationToken)).ToLookup(c => c.CustomerId);
        var addresses = (await db.Set<Addresses.Address>().AsNoTracking().Where(a => list.Contains(a.CustomerId) && a.IsDefault)
            .Select(a => new { a.CustomerId, a.StreetLine1, a.PostalCode, a.City }).ToListAsync(cancellationToken)).ToLookup(a => a.CustomerId);
        return customers.ToDictionary(c => c.Id, c =>
        {
            var contact = contacts[c.Id].FirstOrDefault();
            var address = addresses[c.Id].FirstOrDefault();
            var detail = string.Join(" · ", new[]
            {
                contact?.Email, contact?.Phone,
                address is null ? null : string.Join(", ", new[] { address.StreetLine1, string.Join(' ', new[] { address.PostalCode, address.City }.Where(x => !string.IsNullOrWhiteSpace(x))) }.Where(x => !string.IsNullOrWhiteSpace(x))),
            }.Where(x => !string.IsNullOrWhiteSpace(x)));
            return new DuplicateMemberResponse(c.Id, c.DisplayName, EnumText<CustomerType>.ToText(c.Type), EnumText<CustomerStatus>.ToText(c.Status),
                detail.Length > 0 ? detail : null, $"/customers/{c.Id}");
        });
    }

    public async Task<Dictionary<(Guid First, Guid Second), MatchResult>> RescoreAsync(
        AidaDb db, IReadOnlyCollection<(Guid First, Guid Second)> pairs, CancellationToken cancellationToken)
    {
        var ids = pairs.SelectMany(p => new[] { p.First, p.Second }).Distinct().ToList();
        var keys = (await CandidateKeys.LoadAsync(db, ids, cancellationToken)).ToDictionary(c => c.Id, c => c.Keys);
        var scores = new Dictionary<(Guid First, Guid Second), MatchResult>();
        foreach (var (first, second) in pairs)
        {
            if (keys.TryGetValue(first, out var older) && keys.TryGetValue(second, out var newer))
            {
                scores[(first, second)] = DuplicateScore.Compute(newer, older);
            }
        }

        return scores;
    }

    /// <summary>
    /// What the customers are blocked by (as <see cref="BlockingKeysOf"/> writes their keys): name key, sound and block,
    /// every contact's mailbox, phone and mail domain, web sites, street keys, and postal codes, of which the create
    /// path reads twenty times as many holders and narrows them by house number.
    /// </summary>
    private static IReadOnlyList<BlockingColumn> BlockingColumns(int perKey) =>
    [
        new("n:", "customers", "name_key", "id", perKey),
        new("s:", "customers", "name_phonetic", "id", perKey),
        new("b:", "customers", "name_block", "id", perKey),
        new("e:", "contacts", "email_normalized", "customer_id", perKey),
        new("p:", "contacts", "phone_key", "customer_id", perKey),
        new("d:", "contacts", "email_domain", "customer_id", perKey),
        new("d:", "accounts", "website_domain", "customer_id", perKey),
        new("t:", "addresses", "street_key", "customer_id", perKey),
        new("a:", "addresses", "postal_key", "customer_id", perKey * 20),
    ];

    public Task<CommonKeys> CommonKeysAsync(AidaDb db, int perKey, CancellationToken cancellationToken) =>
        CommonKeysQuery.FindAsync(db, BlockingColumns(perKey), cancellationToken);

    public async Task<List<ScanRecord>> LoadRangeAsync(AidaDb db, Guid after, int size, CancellationToken cancellationToken) =>
        (await CandidateKeys.LoadRangeAsync(db, after, size, cancellationToken)).Select(ScanRecordOf).ToList();

    public async Task<List<ScanRecord>> LoadAsync(AidaDb db, List<Guid> ids, CancellationToken cancellationToken) =>
        (await CandidateKeys.LoadAsync(db, ids, cancellationToken)).Select(ScanRecordOf).ToList();

    private static ScanRecord ScanRecordOf(StoredCandidate candidate) => new(candidate.Id, [.. BlockingKeysOf(candidate.Keys)], candidate.Keys);

    public MatchResult? Score(ScanRecord probe, ScanRecord candidate, double atLeast) =>
        DuplicateScore.Compute((MatchKeys)probe.Compared, (MatchKeys)candidate.Compared, atLeast);

    /// <summary>
    /// A customer's blocking keys in the scan's notation: a kind's letter, then the key; an address's postal code,
    /// then its house number as a detail (<see cref="CommonKeys.Detail"/>: a postal code is common or not as a whole).
    /// </summary>
    public static List<string> BlockingKeysOf(MatchKeys keys)
    {
        var all = new List<string>();
        if (keys.NameKey.Length > 0)
        {
            all.Add("n:" + keys.NameKey);
        }

        if (keys.NamePhonetic.Length > 0)
        {
            all.Add("s:" + keys.NamePhonetic);
        }

        if (keys.NameBlock is { Length: > 0 } block)
        {
            all.Add("b:" + block);
        }

        all.AddRange(keys.Emails.Select(email => "e:" + email));
        all.AddRange(keys.Phones.Select(phone => "p:" + phone));
        all.AddRange(keys.Domains.Select(domain => "d:" + domain));
        all.AddRange(DuplicateDetector.BlockingAddresses(keys).Select(a => AddressKey(a.PostalKey, a.Number)));
        all.AddRange(DuplicateDetector.StreetKeys(keys).Select(street => "t:" + street));
        return all;
    }

    private static string AddressKey(string postalKey, string? number) => "a:" + postalKey + CommonKeys.Detail + number;

    /// <summary>
    /// The next chunk of an incremental pass: customers whose row, a contact or an address was written at or
    /// after <paramref name="since"/>, after the cursor in id order (each of the three read by its updated_at index).
    /// </summary>
    public async Task<(List<Guid> Ids, Guid? Cursor)> NextChangedAsync(AidaDb db, DateTime since, Guid? after, int size, CancellationToken cancellationToken)
    {
        var changed = new SortedSet<Guid>();
        changed.UnionWith(await db.Set<Customer>().IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.UpdatedAt >= since && (after == null || c.Id.CompareTo(after.Value) > 0))
            .OrderBy(c => c.Id).Select(c => c.Id).Take(size).ToListAsync(cancellationToken));
        changed.UnionWith(await db.Set<Contacts.Contact>().IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.UpdatedAt >= since && (after == null || c.CustomerId.CompareTo(after.Value) > 0))
            .Select(c => c.CustomerId).Distinct().OrderBy(id => id).Take(size).ToListAsync(cancellationToken));
        changed.UnionWith(await db.Set<Address>().IgnoreQueryFilters().AsNoTracking()
            .Where(a => a.UpdatedAt >= since && (after == null || a.CustomerId.CompareTo(after.Value) > 0))
            .Select(a => a.CustomerId).Distinct().OrderBy(id => id).Take(size).ToListAsync(cancellationToken));
        if (changed.Count == 0)
        {
            return ([], null);
        }

        var chunk = changed.Take(size).ToList();
        var live = await CustomerAccess.All(db).AsNoTracking().Where(c => chunk.Contains(c.Id)).Select(c => c.Id).ToListAsync(cancellationToken);
        return (live, chunk[^1]);
    }

    /// <summary>
    /// The likely duplicates of <paramref name="ids"/> among all live customers: blocked by the keys the create
    /// path uses, at most <see cref="DuplicateOptions.CandidatesPerKey"/> customers per key, scored by
    /// <see cref="DuplicateScore"/>; those at or above the report floor, each pair once.
    /// </summary>
    public async Task<List<(Guid A, Guid B, MatchResult Match)>> FindPairsAsync(
        AidaDb db, List<Guid> ids, DuplicateOptions options, BlockingMemory memory, ILogger? logger, CancellationToken cancellationToken)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var own = await CandidateKeys.LoadAsync(db, ids, cancellationToken);
        var loadOwn = watch.Elapsed;
        var blocking = new Blocking(options.CandidatesPerKey, memory.Keys);
        foreach (var candidate in own)
        {
            blocking.Add(candidate.Id, candidate.Keys);
        }

        await blocking.LookUpAsync(db, cancellationToken);
        var lookUp = watch.Elapsed;
        var keys = own.ToDictionary(c => c.Id, c => c.Keys);
        var others = new List<Guid>();
        foreach (var id in blocking.Found.Where(id => !keys.ContainsKey(id)))
        {
            if (memory.TryGetCandidate(id, out var known))
            {
                keys[id] = known.Keys;
            }
            else
            {
                others.Add(id);
            }
        }

        var common = memory.Keys.Values.SelectMany(v => v).ToHashSet();
        foreach (var other in await CandidateKeys.LoadAsync(db, others, cancellationToken))
        {
            keys[other.Id] = other.Keys;
            if (common.Contains(other.Id))
            {
                memory.Remember(other);
            }
        }

        var loadOthers = watch.Elapsed;
        var seen = new HashSet<(Guid, Guid)>();
        var pairs = new List<(Guid, Guid, MatchResult)>();
        foreach (var candidate in own)
        {
            foreach (var other in blocking.CandidatesOf(candidate.Id))
            {
                if (other == candidate.Id || !keys.TryGetValue(other, out var otherKeys) || !seen.Add(DuplicatePair.Canonical(candidate.Id, other)))
                {
                    continue;
                }

                // As on create: the newer record (UUIDv7: the larger id) is the probe, the older one the candidate.
                var match = candidate.Id.CompareTo(other) > 0
                    ? DuplicateScore.Compute(candidate.Keys, otherKeys)
                    : DuplicateScore.Compute(otherKeys, candidate.Keys);
                if (match.Score >= options.ReportFloor)
                {
                    pairs.Add((candidate.Id, other, match));
                }
            }
        }

        logger?.LogDebug("Duplicate scan phases: own keys {Own:F0} ms, blocking {Blocking:F0} ms, {Candidates} candidates' keys {Others:F0} ms, {Scored} pairs scored in {Scoring:F0} ms",
            loadOwn.TotalMilliseconds, (lookUp - loadOwn).TotalMilliseconds, others.Count, (loadOthers - lookUp).TotalMilliseconds, seen.Count, (watch.Elapsed - loadOthers).TotalMilliseconds);
        return pairs;
    }

    /// <summary>
    /// The blocking keys of a chunk and the customers each finds: one grouped query per kind of key, each key
    /// bringing at most <c>perKey</c> customers (the first by id, as the create's bounded lookup does).
    /// </summary>
    private sealed class Blocking(int perKey, IDictionary<string, List<Guid>> saturated)
    {

        private readonly Dictionary<Guid, List<string>> _keysOf = [];
        private readonly Dictionary<string, List<Guid>> _found = new(StringComparer.Ordinal);
        private readonly HashSet<string> _nameKeys = new(StringComparer.Ordinal);
        private readonly HashSet<string> _phonetics = new(StringComparer.Ordinal);
        private readonly HashSet<string> _nameBlocks = new(StringComparer.Ordinal);
        private readonly HashSet<string> _emails = new(StringComparer.Ordinal);
        private readonly HashSet<string> _phones = new(StringComparer.Ordinal);
        private readonly HashSet<string> _domains = new(StringComparer.Ordinal);
        private readonly HashSet<(string PostalKey, string? Number)> _addresses = [];
        private readonly HashSet<string> _streets = new(StringComparer.Ordinal);

        public IEnumerable<Guid> Found => _found.Values.SelectMany(ids => ids).Distinct();

        public void Add(Guid id, MatchKeys keys)
        {
            _keysOf[id] = BlockingKeysOf(keys);
            if (keys.NameKey.Length > 0)
            {
                _nameKeys.Add(keys.NameKey);
            }

            if (keys.NamePhonetic.Length > 0)
            {
                _phonetics.Add(keys.NamePhonetic);
            }

            if (keys.NameBlock is { Length: > 0 } block)
            {
                _nameBlocks.Add(block);
            }

            _emails.UnionWith(keys.Emails);
            _phones.UnionWith(keys.Phones);
            _domains.UnionWith(keys.Domains);
            _addresses.UnionWith(DuplicateDetector.BlockingAddresses(keys));
            _streets.UnionWith(DuplicateDetector.StreetKeys(keys));
        }

        public IEnumerable<Guid> CandidatesOf(Guid id) =>
            _keysOf[id].SelectMany(key => _found.TryGetValue(key, out var ids) ? ids : []).Distinct();

        public async Task LookUpAsync(AidaDb db, CancellationToken cancellationToken)
        {
            await TopPerKeyAsync(db, "n:", _nameKeys, "customers", "name_key", "id", perKey, cancellationToken);
            await TopPerKeyAsync(db, "s:", _phonetics, "customers", "name_phonetic", "id", perKey, cancellationToken);
            await TopPerKeyAsync(db, "b:", _nameBlocks, "customers", "name_block", "id", perKey, cancellationToken);
            await TopPerKeyAsync(db, "e:", _emails, "contacts", "email_normalized", "customer_id", perKey, cancellationToken);
            await TopPerKeyAsync(db, "p:", _phones, "contacts", "phone_key", "customer_id", perKey, cancellationToken);
            await TopPerKeyAsync(db, "d:", _domains, "contacts", "email_domain", "customer_id", perKey, cancellationToken);
            await TopPerKeyAsync(db, "d:", _domains, "accounts", "website_domain", "customer_id", perKey, cancellationToken);
            await TopPerKeyAsync(db, "t:", _streets, "addresses", "street_key", "customer_id", perKey, cancellationToken);

            // Addresses by postal code, then the house number as written in the street line (as on create); a
            // postal code holds many streets, so more rows per code are read and the number then narrows them.
            var streets = await TopPerKeyAsync(db, "", _addresses.Select(a => a.PostalKey).ToHashSet(StringComparer.Ordinal),
                "addresses", "postal_key", "customer_id", perKey * 20, cancellationToken, street: true);
            var byPostalKey = streets.ToLookup(s => s.Key, StringComparer.Ordinal);
            foreach (var (postalKey, number) in _addresses)
            {
                _found[AddressKey(postalKey, number)] = byPostalKey[postalKey]
                    .Where(s => number is null || (s.Street ?? "").Contains(number, StringComparison.Ordinal))
                    .Select(s => Guid.Parse(s.Id)).Distinct().Take(perKey).ToList();
            }
        }

        /// <summary>The first <paramref name="limit"/> holders by id of each key (<see cref="TopPerKey"/>), a key known to be saturated from memory.</summary>
        private async Task<List<KeyHolder>> TopPerKeyAsync(
            AidaDb db, string prefix, HashSet<string> keys, string table, string keyColumn, string idColumn, int limit, CancellationToken cancellationToken, bool street = false)
        {
            var all = new List<string>(keys.Count);
            foreach (var key in keys)
            {
                if (prefix.Length > 0 && saturated.TryGetValue(prefix + table + ":" + key, out var known))
                {
                    FoundFor(prefix + key).AddRange(known);
                }
                else
                {
                    all.Add(key);
                }
            }

            var hits = await TopPerKey.QueryAsync(db, all, table, keyColumn, idColumn, limit, cancellationToken, street);

            if (prefix.Length > 0)
            {
                foreach (var group in hits.GroupBy(h => h.Key, StringComparer.Ordinal))
                {
                    var ids = group.Select(h => Guid.Parse(h.Id)).ToList();
                    FoundFor(prefix + group.Key).AddRange(ids);
                    if (ids.Count >= limit)
                    {
                        saturated[prefix + table + ":" + group.Key] = ids;
                    }
                }
            }

            return hits;
        }

        private List<Guid> FoundFor(string key)
        {
            if (!_found.TryGetValue(key, out var ids))
            {
                _found[key] = ids = [];
            }

            return ids;
        }
    }
}
