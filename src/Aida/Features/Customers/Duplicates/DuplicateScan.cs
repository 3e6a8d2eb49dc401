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
/// Set-based: a chunk of customers is blocked with one grouped query per key kind (top N per key by
/// ROW_NUMBER), the candidates' keys are read in bulk (<see cref="CandidateKeys"/>) and scored in memory —
/// a few dozen round trips per thousand customers, none per customer. The chunk is computed outside any write;
/// the write (pairs and the cursor) takes <see cref="LockName.DuplicateScan"/> and checks that the cursor it
/// started from is still current, so two nodes never write one chunk twice and a stop resumes at the cursor.
/// </para>
/// </summary>
public sealed class DuplicateScan(
    IServiceScopeFactory scopes, IEnumerable<IDuplicateRecords> records, IOptions<DuplicateOptions> matching, IOptions<DuplicateScanOptions> options,
    TimeProvider clock, ILogger<DuplicateScan> logger)
    : IDisposable
{
    private readonly IReadOnlyList<IDuplicateRecords> _records = records.OrderBy(r => r.Type).ToList();

    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>
    /// Holders of common keys whose match keys a pass keeps at most (per record type). Unbounded, a first pass over a
    /// million customers kept every holder of every common key it met, and the server's memory grew with the table.
    /// </summary>
    public const int CandidateLimit = 25_000;

    /// <summary>
    /// Per record type, the first records of each key that had more than a key's share, and what the scorer compares
    /// for them, kept for the pass: a common name or a company's domain is read once per pass, not once per chunk (the
    /// first rows by id of a key only change when one of them is deleted, and then the next pass reads it again).
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<DuplicateRecordType, BlockingMemory> _memory = new();

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
        var (ids, cursor) = phase == DuplicateScanPhase.Full
            ? await records.NextAsync(db, read?.CursorId, settings.ChunkSize, cancellationToken)
            : await records.NextChangedAsync(db, read?.Watermark ?? DateTime.MinValue, read?.CursorId, settings.ChunkSize, cancellationToken);
        var memory = _memory.GetOrAdd(type, _ => new BlockingMemory(CandidateLimit));
        if (read?.CursorId is null)
        {
            memory.Clear();
        }

        var started = clock.GetTimestamp();
        var found = ids.Count > 0 ? await records.FindPairsAsync(db, ids, matching.Value, memory, logger, cancellationToken) : [];
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
            return null;
        }

        var added = await DuplicatePairs.SaveScannedAsync(db, records, ids, found, matching.Value, now, cancellationToken);
        state.Phase = phase;
        state.CursorId = cursor;
        state.PassStartedAt = passStarted;
        state.RecordsScanned += ids.Count;
        state.PairsFound += added;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogDebug("Duplicate scan chunk of {Type} records: {Records}, {Pairs} pairs, found in {Found:F0} ms, written in {Written:F0} ms",
            type, ids.Count, found.Count, computed.TotalMilliseconds, (clock.GetElapsedTime(started) - computed).TotalMilliseconds);
        return (ids.Count, added);
    }

    public void Dispose() => _wake.Dispose();
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
