using Aida.Features.Customers.Addresses;
using Microsoft.Extensions.Options;

namespace Aida.Features.Customers.Duplicates;

public sealed class DuplicateScanOptions
{
    /// <summary>Whether the background worker runs (tests drive the scan themselves and turn it off).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the worker looks for customers created or changed since the last pass.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Changed records whose candidates an incremental pass looks up at once.</summary>
    public int ChunkSize { get; set; } = 1000;

    /// <summary>
    /// Records a full pass holds in memory at once (<see cref="FullPassRange"/>): each step compares one such range
    /// with itself and with every later record, then writes its pairs. Larger ranges read the table fewer times
    /// (a pass reads it about N / (2 × RangeSize) times) and hold more memory, about 2 KB per customer.
    /// </summary>
    public int RangeSize { get; set; } = 100_000;

    /// <summary>Records a pass reads at a time while it compares a range with them (small, so they die young).</summary>
    public int StreamChunkSize { get; set; } = 1_000;

    /// <summary>
    /// Changed records from which an incremental pass compares them as a range with every record (as a full pass
    /// does) instead of looking each one's candidates up: after an import, say.
    /// </summary>
    public int StreamFrom { get; set; } = 5_000;

    /// <summary>
    /// How far before its start a pass's watermark is set: a row stamped just before a pass began but committed
    /// after it read is scanned by the next pass too. Scanning a customer twice is harmless.
    /// </summary>
    public TimeSpan Overlap { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>What one call of <see cref="DuplicateScan.RunAsync"/> did.</summary>
public sealed record DuplicateScanSummary(int Chunks, long Records, long PairsAdded);

/// <summary>
/// The background scan of existing customers (and open leads, <see cref="IDuplicateRecords"/>) for likely duplicates
/// (issue 17, duplicate review), with the matcher used on create: the same blocking keys (name key, sound, name block, every email and phone, company
/// domain, postal code with house number, street key), each bounded to <see cref="DuplicateOptions.CandidatesPerKey"/> rows
/// as on create, and the same <see cref="DuplicateScore"/>; pairs at or above the report floor go to the queue.
/// <para>
/// First a full pass over every customer in id order, then incremental passes over the customers created or
/// changed (their contacts and addresses included) since the watermark — so rows written by an import or a bulk
/// insert are picked up without the importer knowing about the scan; <see cref="Request"/> runs a pass now.
/// </para>
/// <para>
/// A full pass holds <see cref="DuplicateScanOptions.RangeSize"/> records at a time and compares them with each
/// other and with every later record, read past them in id order (<see cref="FullPassRange"/>): blocking happens in
/// memory against the pass's common keys (<see cref="CommonKeys"/>), so a million customers cost a few sequential
/// reads of the table instead of a candidate lookup per customer. An incremental pass looks the candidates of a few
/// changed records up (one grouped query per key kind, top N per key by ROW_NUMBER, the candidates' keys read in bulk
/// by <see cref="CandidateKeys"/>); from <see cref="DuplicateScanOptions.StreamFrom"/> changed records on it holds
/// them as a range instead and reads every record past them.
/// </para>
/// <para>
/// Each step is computed outside any write; the write (pairs and the cursor) takes <see cref="LockName.DuplicateScan"/>
/// and checks that the cursor it started from is still current, so two nodes never write one step twice and a stop
/// resumes at the cursor.
/// </para>
/// </summary>
public sealed class DuplicateScan(
    IServiceScopeFactory scopes, IEnumerable<IDuplicateRecords> records, IOptions<DuplicateOptions> matching, IOptions<DuplicateScanOptions> options,
    TimeProvider clock, Platform.Jobs.JobTriggers triggers, ILogger<DuplicateScan> logger)
{
    private readonly IReadOnlyList<IDuplicateRecords> _records = records.OrderBy(r => r.Type).ToList();

    /// <summary>
    /// Holders of common keys whose match keys a pass keeps at most (per record type). Unbounded, a first pass over a
    /// million customers kept every holder of every common key it met, and the server's memory grew with the table.
    /// </summary>
    public const int CandidateLimit = 25_000;

    /// <summary>Records of a step from which the memory it held is handed back before the next (<see cref="ProcessMemory"/>).</summary>
    private const int ReturnMemoryFrom = 10_000;

    /// <summary>
    /// Per record type, the first records of each key that had more than a key's share, and what the scorer compares
    /// for them, kept for the pass: a common name or a company's domain is read once per pass, not once per chunk (the
    /// first rows by id of a key only change when one of them is deleted, and then the next pass reads it again).
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<DuplicateRecordType, BlockingMemory> _memory = new();

    /// <summary>Per record type, the common keys of the full pass under way (<see cref="CommonKeysOfPassAsync"/>), with the time it started.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<DuplicateRecordType, (DateTime PassStarted, CommonKeys Keys)> _common = new();

    /// <summary>Asks for a pass now (after an import, say), on this node; returns at once.</summary>
    public void Request() => triggers.RunSoon(DuplicateScanJob.JobName);

    /// <summary>Starts over with a full pass (after the matcher changed, say); the next run scans every record of every type.</summary>
    public static async Task RestartAsync(AidaDb db, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        await db.LockAsync(LockName.DuplicateScan, cancellationToken);
        foreach (var state in await db.Set<DuplicateScanState>().ToListAsync(cancellationToken))
        {
            state.Phase = DuplicateScanPhase.Full;
            state.CursorId = null;
            state.PassStartedAt = null;
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Runs the current pass (full, or incremental since the watermark) of each record type to its end, chunk by chunk.</summary>
    public async Task<DuplicateScanSummary> RunAsync(CancellationToken cancellationToken)
    {
        var total = new DuplicateScanSummary(0, 0, 0);
        foreach (var type in _records)
        {
            var (chunks, scanned, pairs) = (0, 0L, 0L);
            while (true)
            {
                var step = await StepAsync(type, cancellationToken);
                if (step is null)
                {
                    break;
                }

                chunks++;
                scanned += step.Value.Records;
                pairs += step.Value.Pairs;
            }

            if (chunks > 0)
            {
                logger.LogInformation("Duplicate scan of {Type} records: {Records} in {Chunks} chunks, {Pairs} new pairs", type.Type, scanned, chunks, pairs);
            }

            total = new DuplicateScanSummary(total.Chunks + chunks, total.Records + scanned, total.PairsAdded + pairs);
        }

        return total;
    }

    /// <summary>Scans one chunk of one type; null when its pass is finished (its watermark then stored).</summary>
    private async Task<(int Records, int Pairs)?> StepAsync(IDuplicateRecords records, CancellationToken cancellationToken)
    {
        var type = records.Type;
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<OperationContext>().BecomeSystem();
        var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
        var settings = options.Value;
        var read = await db.Set<DuplicateScanState>().AsNoTracking().FirstOrDefaultAsync(s => s.RecordType == type, cancellationToken);
        var now = clock.UtcNow();
        var phase = read?.Phase ?? DuplicateScanPhase.Full;
        var passStarted = read?.PassStartedAt ?? now;
        var started = clock.GetTimestamp();
        List<Guid> ids;
        Guid? cursor;
        List<(Guid A, Guid B, MatchResult Match)> found;
        if (phase == DuplicateScanPhase.Full)
        {
            (ids, found, cursor) = await FullStepAsync(db, records, read?.CursorId ?? Guid.Empty, passStarted, cancellationToken);
        }
        else
        {
            (ids, cursor) = await records.NextChangedAsync(db, read?.Watermark ?? DateTime.MinValue, read?.CursorId, settings.RangeSize, cancellationToken);
            if (ids.Count >= settings.StreamFrom)
            {
                // Many changed records (an import): held as one range and compared with every record read past them,
                // as a full pass does; looking each one's candidates up costs more from a few thousand on.
                found = await ChangedStepAsync(db, records, ids, passStarted, cancellationToken);
            }
            else
            {
                var memory = _memory.GetOrAdd(type, _ => new BlockingMemory(CandidateLimit));
                if (read?.CursorId is null)
                {
                    memory.Clear();
                }

                found = [];
                for (var i = 0; i < ids.Count; i += settings.ChunkSize)
                {
                    found.AddRange(await records.FindPairsAsync(db, ids.GetRange(i, Math.Min(settings.ChunkSize, ids.Count - i)), matching.Value, memory, logger, cancellationToken));
                }
            }
        }

        var computed = clock.GetElapsedTime(started);

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        await db.LockAsync(LockName.DuplicateScan, cancellationToken);
        var state = await db.Set<DuplicateScanState>().FirstOrDefaultAsync(s => s.RecordType == type, cancellationToken);
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

            state = new DuplicateScanState { RecordType = type, Phase = DuplicateScanPhase.Full };
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
            _common.TryRemove(type, out _);
            return null;
        }

        // A full pass's step scored every pair of its range with itself and with the records after it; a pair with a
        // record before the range was scored by an earlier step.
        var added = await DuplicatePairs.SaveScannedAsync(db, records, ids, found, matching.Value, now, cancellationToken,
            coveredAfter: phase == DuplicateScanPhase.Full ? read?.CursorId ?? Guid.Empty : null);
        state.Phase = phase;
        state.CursorId = cursor;
        state.PassStartedAt = passStarted;
        state.RecordsScanned += ids.Count;
        state.PairsFound += added;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (ids.Count >= ReturnMemoryFrom)
        {
            // The range just compared is garbage now; without this the next one is read on top of it.
            ProcessMemory.ReturnFreed();
        }

        logger.LogDebug("Duplicate scan chunk of {Type} records: {Records}, {Pairs} pairs, found in {Found:F0} ms, written in {Written:F0} ms",
            type, ids.Count, found.Count, computed.TotalMilliseconds, (clock.GetElapsedTime(started) - computed).TotalMilliseconds);
        return (ids.Count, added);
    }

    /// <summary>
    /// One step of a full pass: the next <see cref="DuplicateScanOptions.RangeSize"/> records after the cursor, compared
    /// with each other and with every record after them. Returns the range's ids, the pairs found, and the cursor (null
    /// when no record is left).
    /// </summary>
    private async Task<(List<Guid> Ids, List<(Guid A, Guid B, MatchResult Match)> Found, Guid? Cursor)> FullStepAsync(
        AidaDb db, IDuplicateRecords records, Guid after, DateTime passStarted, CancellationToken cancellationToken)
    {
        var range = await records.LoadRangeAsync(db, after, options.Value.RangeSize, cancellationToken);
        if (range.Count == 0)
        {
            return ([], [], null);
        }

        var found = await CompareAsync(db, records, range, passStarted, streamAfter: range[^1].Id, skip: null, cancellationToken);
        return (range.Select(r => r.Id).ToList(), found, range[^1].Id);
    }

    /// <summary>A step of an incremental pass over many changed records: compared with each other and with every other record.</summary>
    private async Task<List<(Guid A, Guid B, MatchResult Match)>> ChangedStepAsync(
        AidaDb db, IDuplicateRecords records, List<Guid> ids, DateTime passStarted, CancellationToken cancellationToken)
    {
        var range = await records.LoadAsync(db, ids, cancellationToken);
        return await CompareAsync(db, records, range, passStarted, streamAfter: Guid.Empty, skip: ids.ToHashSet(), cancellationToken);
    }

    /// <summary>
    /// The pairs of <paramref name="range"/> with itself and with the records after <paramref name="streamAfter"/>
    /// (except those in <paramref name="skip"/>), read in id order a chunk at a time, the next chunk read while the
    /// last is scored.
    /// </summary>
    private async Task<List<(Guid A, Guid B, MatchResult Match)>> CompareAsync(
        AidaDb db, IDuplicateRecords records, List<ScanRecord> range, DateTime passStarted, Guid streamAfter, HashSet<Guid>? skip, CancellationToken cancellationToken)
    {
        var chunk = options.Value.StreamChunkSize;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var common = await CommonKeysOfPassAsync(db, records, passStarted, cancellationToken);
        var commonFound = watch.Elapsed;
        var pass = new FullPassRange(range, common, records.Score, matching.Value.ReportFloor);
        var found = pass.PairsWithin();
        var within = watch.Elapsed - commonFound;
        var streamed = 0L;
        var (waiting, pairing) = (TimeSpan.Zero, TimeSpan.Zero);
        var next = Task.Run(() => records.LoadRangeAsync(db, streamAfter, chunk, cancellationToken), cancellationToken);
        try
        {
            while (true)
            {
                var waited = System.Diagnostics.Stopwatch.GetTimestamp();
                var later = await next;
                waiting += System.Diagnostics.Stopwatch.GetElapsedTime(waited);
                if (later.Count == 0)
                {
                    break;
                }

                streamed += later.Count;
                next = Task.Run(() => records.LoadRangeAsync(db, later[^1].Id, chunk, cancellationToken), cancellationToken);
                var paired = System.Diagnostics.Stopwatch.GetTimestamp();
                found.AddRange(pass.PairsWith(skip is null ? later : later.Where(r => !skip.Contains(r.Id)).ToList()));
                pairing += System.Diagnostics.Stopwatch.GetElapsedTime(paired);
            }
        }
        catch when (!next.IsCompleted)
        {
            // The read in flight still uses the connection: let it end before the scope disposes it.
            await Task.WhenAny(next);
            throw;
        }

        logger.LogDebug("Duplicate scan range of {Type} records: {Range} records held against {Streamed} read past them, {Common} common keys, {Pairs} pairs, " +
            "{Elapsed:F0} ms ({CommonKeysMs:F0} ms for the common keys, {Within:F0} ms within the range, {Waiting:F0} ms waiting for reads, {Pairing:F0} ms pairing)",
            records.Type, range.Count, streamed, common.Count, found.Count, watch.Elapsed.TotalMilliseconds,
            commonFound.TotalMilliseconds, within.TotalMilliseconds, waiting.TotalMilliseconds, pairing.TotalMilliseconds);
        return found;
    }

    /// <summary>The common keys of a pass, found at its first step on this node and kept until the pass ends.</summary>
    private async Task<CommonKeys> CommonKeysOfPassAsync(AidaDb db, IDuplicateRecords records, DateTime passStarted, CancellationToken cancellationToken)
    {
        if (_common.TryGetValue(records.Type, out var known) && known.PassStarted == passStarted)
        {
            return known.Keys;
        }

        var keys = await records.CommonKeysAsync(db, matching.Value.CandidatesPerKey, cancellationToken);
        _common[records.Type] = (passStarted, keys);
        return keys;
    }

}

/// <summary>
/// The scan as a scheduled job: at start the scan's pending pass (the first full one, or a resumed one), then an
/// incremental pass every <see cref="DuplicateScanOptions.Interval"/> or at once when <see cref="DuplicateScan.Request"/> asks.
/// A failed pass leaves the cursor at the last committed chunk; the next pass resumes there.
/// </summary>
public sealed class DuplicateScanJob(DuplicateScan scan, IOptions<DuplicateScanOptions> options) : Platform.Jobs.IScheduledJob
{
    public const string JobName = "duplicates.scan";

    public string Name => JobName;

    public string Description => "Scans customers and open leads created or changed since the last pass for likely duplicates, into the review queue.";

    public TimeSpan Interval => options.Value.Interval;

    public bool Enabled => options.Value.Enabled;

    /// <summary>Items: the records the pass scanned.</summary>
    public async Task<Platform.Jobs.JobOutcome> RunAsync(CancellationToken cancellationToken) =>
        new((int)Math.Min(int.MaxValue, (await scan.RunAsync(cancellationToken)).Records));
}
