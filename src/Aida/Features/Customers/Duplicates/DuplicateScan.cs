using Aida.Features.Customers.Addresses;
using Microsoft.Extensions.Options;

namespace Aida.Features.Customers.Duplicates;

public sealed class DuplicateScanOptions
{
    /// <summary>Whether the background worker runs (tests drive the scan themselves and turn it off).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the worker looks for customers created or changed since the last pass.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Customers per chunk: read and scored outside any write, then written in one short transaction.</summary>
    public int ChunkSize { get; set; } = 1000;

    /// <summary>
    /// How far before its start a pass's watermark is set: a row stamped just before a pass began but committed
    /// after it read is scanned by the next pass too. Scanning a customer twice is harmless.
    /// </summary>
    public TimeSpan Overlap { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>What one call of <see cref="DuplicateScan.RunAsync"/> did.</summary>
public sealed record DuplicateScanSummary(int Chunks, long Customers, long PairsAdded);

/// <summary>
/// The background scan of existing customers for likely duplicates (issue 17, duplicate review), with the
/// matcher used on create: the same blocking keys (name key, sound, name block, every email and phone, company
/// domain, postal code with house number, street key), each bounded to <see cref="DuplicateOptions.CandidatesPerKey"/> rows
/// as on create, and the same <see cref="DuplicateScore"/>; pairs at or above the report floor go to the queue.
/// <para>
/// First a full pass over every customer in id order, then incremental passes over the customers created or
/// changed (their contacts and addresses included) since the watermark — so rows written by an import or a bulk
/// insert are picked up without the importer knowing about the scan; <see cref="Request"/> runs a pass now.
/// </para>
/// <para>
/// Set-based: a chunk of customers is blocked with one grouped query per key kind (top N per key by
/// ROW_NUMBER), the candidates' keys are read in bulk (<see cref="CandidateKeys"/>) and scored in memory —
/// a few dozen round trips per thousand customers, none per customer. The chunk is computed outside any write;
/// the write (pairs and the cursor) takes <see cref="LockName.DuplicateScan"/> and checks that the cursor it
/// started from is still current, so two nodes never write one chunk twice and a stop resumes at the cursor.
/// </para>
/// </summary>
public sealed class DuplicateScan(
    IServiceScopeFactory scopes, IOptions<DuplicateOptions> matching, IOptions<DuplicateScanOptions> options, TimeProvider clock, ILogger<DuplicateScan> logger)
    : IDisposable
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>
    /// The first customers of each key that had more than a key's share, and what the scorer compares for them, kept
    /// for the pass: a common name or a company's domain is read once per pass, not once per chunk (the first rows by
    /// id of a key only change when one of them is deleted, and then the next pass reads it again).
    /// </summary>
    private readonly BlockingMemory _memory = new();

    /// <summary>Asks the worker for a pass now (after an import, say); returns at once.</summary>
    public void Request()
    {
        try
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already requested: one pass covers both.
        }
    }

    internal Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _wake.WaitAsync(timeout, cancellationToken);

    /// <summary>Starts over with a full pass (after the matcher changed, say); the next run scans every customer.</summary>
    public static async Task RestartAsync(AidaDb db, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        await db.LockAsync(LockName.DuplicateScan, cancellationToken);
        var state = await db.Set<DuplicateScanState>().FirstOrDefaultAsync(s => s.RecordType == DuplicateRecordType.Customer, cancellationToken);
        if (state is not null)
        {
            state.Phase = DuplicateScanPhase.Full;
            state.CursorId = null;
            state.PassStartedAt = null;
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Runs the current pass (full, or incremental since the watermark) to its end, chunk by chunk.</summary>
    public async Task<DuplicateScanSummary> RunAsync(CancellationToken cancellationToken)
    {
        var (chunks, customers, pairs) = (0, 0L, 0L);
        while (true)
        {
            var step = await StepAsync(cancellationToken);
            if (step is null)
            {
                break;
            }

            chunks++;
            customers += step.Value.Customers;
            pairs += step.Value.Pairs;
        }

        if (chunks > 0)
        {
            logger.LogInformation("Duplicate scan: {Customers} customers in {Chunks} chunks, {Pairs} new pairs", customers, chunks, pairs);
        }

        return new DuplicateScanSummary(chunks, customers, pairs);
    }

    /// <summary>Scans one chunk; null when the pass is finished (its watermark then stored).</summary>
    private async Task<(int Customers, int Pairs)?> StepAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<OperationContext>().BecomeSystem();
        var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
        var settings = options.Value;
        var read = await db.Set<DuplicateScanState>().AsNoTracking().FirstOrDefaultAsync(s => s.RecordType == DuplicateRecordType.Customer, cancellationToken);
        var now = clock.UtcNow();
        var phase = read?.Phase ?? DuplicateScanPhase.Full;
        var passStarted = read?.PassStartedAt ?? now;
        var (ids, cursor) = phase == DuplicateScanPhase.Full
            ? await NextAsync(db, read?.CursorId, settings.ChunkSize, cancellationToken)
            : await NextChangedAsync(db, read?.Watermark ?? DateTime.MinValue, read?.CursorId, settings.ChunkSize, cancellationToken);
        if (read?.CursorId is null)
        {
            _memory.Clear();
        }

        var started = clock.GetTimestamp();
        var found = ids.Count > 0 ? await FindPairsAsync(db, ids, matching.Value, cancellationToken, logger, _memory) : [];
        var computed = clock.GetElapsedTime(started);

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        await db.LockAsync(LockName.DuplicateScan, cancellationToken);
        var state = await db.Set<DuplicateScanState>().FirstOrDefaultAsync(s => s.RecordType == DuplicateRecordType.Customer, cancellationToken);
        if (state is not null && (read is null || state.Phase != read.Phase || state.CursorId != read.CursorId || state.PassStartedAt != read.PassStartedAt))
        {
            // Another node wrote this chunk (or restarted the scan) meanwhile: look again from where it left off.
            return (0, 0);
        }

        if (state is null)
        {
            if (read is not null)
            {
                return (0, 0);
            }

            state = new DuplicateScanState { RecordType = DuplicateRecordType.Customer, Phase = DuplicateScanPhase.Full };
            db.Add(state);
        }

        if (cursor is null)
        {
            // The pass is done: what changed from shortly before it began is the next incremental pass's work.
            state.Phase = DuplicateScanPhase.Incremental;
            state.Watermark = passStarted - settings.Overlap;
            state.CursorId = null;
            state.PassStartedAt = null;
            state.LastFinishedAt = now;
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return null;
        }

        var added = await DuplicatePairs.SaveScannedAsync(db, ids, found, matching.Value, now, cancellationToken);
        state.Phase = phase;
        state.CursorId = cursor;
        state.PassStartedAt = passStarted;
        state.RecordsScanned += ids.Count;
        state.PairsFound += added;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogDebug("Duplicate scan chunk: {Customers} customers, {Pairs} pairs, found in {Found:F0} ms, written in {Written:F0} ms",
            ids.Count, found.Count, computed.TotalMilliseconds, (clock.GetElapsedTime(started) - computed).TotalMilliseconds);
        return (ids.Count, added);
    }

    /// <summary>The next chunk of the full pass: live customers after the cursor, in id order.</summary>
    private static async Task<(List<Guid> Ids, Guid? Cursor)> NextAsync(AidaDb db, Guid? after, int size, CancellationToken cancellationToken)
    {
        var ids = await CustomerAccess.All(db).AsNoTracking()
            .Where(c => after == null || c.Id.CompareTo(after.Value) > 0)
            .OrderBy(c => c.Id).Select(c => c.Id).Take(size).ToListAsync(cancellationToken);
        return (ids, ids.Count > 0 ? ids[^1] : null);
    }

    /// <summary>
    /// The next chunk of an incremental pass: customers whose row, a contact or an address was written at or
    /// after <paramref name="since"/>, after the cursor in id order (each of the three read by its updated_at index).
    /// </summary>
    private static async Task<(List<Guid> Ids, Guid? Cursor)> NextChangedAsync(AidaDb db, DateTime since, Guid? after, int size, CancellationToken cancellationToken)
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
    public static async Task<List<(Guid A, Guid B, MatchResult Match)>> FindPairsAsync(
        AidaDb db, List<Guid> ids, DuplicateOptions options, CancellationToken cancellationToken, ILogger? logger = null, BlockingMemory? memory = null)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var own = await CandidateKeys.LoadAsync(db, ids, cancellationToken);
        var loadOwn = watch.Elapsed;
        memory ??= new BlockingMemory();
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

    public void Dispose() => _wake.Dispose();

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
            var mine = new List<string>();
            _keysOf[id] = mine;
            if (keys.NameKey.Length > 0)
            {
                mine.Add("n:" + keys.NameKey);
                _nameKeys.Add(keys.NameKey);
            }

            if (keys.NamePhonetic.Length > 0)
            {
                mine.Add("s:" + keys.NamePhonetic);
                _phonetics.Add(keys.NamePhonetic);
            }

            if (keys.NameBlock is { Length: > 0 } block)
            {
                mine.Add("b:" + block);
                _nameBlocks.Add(block);
            }

            foreach (var email in keys.Emails)
            {
                mine.Add("e:" + email);
                _emails.Add(email);
            }

            foreach (var phone in keys.Phones)
            {
                mine.Add("p:" + phone);
                _phones.Add(phone);
            }

            foreach (var domain in keys.Domains)
            {
                mine.Add("d:" + domain);
                _domains.Add(domain);
            }

            foreach (var (postalKey, number) in DuplicateDetector.BlockingAddresses(keys))
            {
                mine.Add("a:" + postalKey + "|" + number);
                _addresses.Add((postalKey, number));
            }

            foreach (var street in DuplicateDetector.StreetKeys(keys))
            {
                mine.Add("t:" + street);
                _streets.Add(street);
            }
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
                _found["a:" + postalKey + "|" + number] = byPostalKey[postalKey]
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

/// <summary>
/// The background worker: at start the scan's pending pass (the first full one, or a resumed one), then an
/// incremental pass every <see cref="DuplicateScanOptions.Interval"/> or at once when <see cref="DuplicateScan.Request"/> asks.
/// </summary>
public sealed class DuplicateScanWorker(DuplicateScan scan, IOptions<DuplicateScanOptions> options, ILogger<DuplicateScanWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await scan.RunAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The cursor stays at the last committed chunk; the next pass resumes there.
                logger.LogWarning(e, "Duplicate scan failed; it resumes at the next interval");
            }

            await scan.WaitAsync(options.Value.Interval, stoppingToken);
        }
    }
}
