using Aida.Platform.Jobs;
using System.Diagnostics;
using Aida.Features.Customers;
using Microsoft.Extensions.Options;

namespace Aida.Features.Scoring;

public sealed class ScoringOptions
{
    /// <summary>
    /// Customers per chunk of a full run: one transaction each, so a stop loses at most one chunk (about a
    /// second of work). Larger chunks write fewer pages per score: each chunk's new rows land at the same
    /// few hundred places of the (score_type, score_value) index, so more rows share each page written.
    /// </summary>
    public int ChunkSize { get; set; } = 10000;

    /// <summary>How often the worker looks at the rescoring queue (and for a run to continue).</summary>
    public TimeSpan QueueInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether the worker starts a full recalculation every day at <see cref="DailyAt"/> (UTC).</summary>
    public bool DailyRunEnabled { get; set; } = true;

    public TimeSpan DailyAt { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Whether the background worker runs at all (tests that drive runs step by step turn it off).</summary>
    public bool WorkerEnabled { get; set; } = true;

    /// <summary>How long the worker continues a run before it looks at the queue again: queued rescoring waits at most this long behind a full run.</summary>
    public TimeSpan RunSlice { get; set; } = TimeSpan.FromSeconds(20);
}

/// <summary>
/// Full recalculations (WF-LC-002, daily or on demand) and the rescoring queue. A run walks the customers in
/// id order, one chunk per transaction, and commits its cursor with each chunk, so a stop (restart, crash, the
/// time slice) resumes after the last committed chunk; a second start while one runs continues that one.
/// Scoring writers take <see cref="LockName.CustomerScoring"/> (on SQLite the write gate already serialises them).
/// </summary>
public sealed class ScoringEngine(IServiceScopeFactory scopes, TimeProvider clock, IOptions<ScoringOptions> options, ILogger<ScoringEngine> logger)
{
    private const int QueueBatch = 500;

    /// <summary>Starts a full run, or returns the one already running (which the caller then continues).</summary>
    public static async Task<ScoringRun> StartAsync(AidaDb db, ScoringRunTrigger trigger, Guid? startedBy, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        await db.LockAsync(LockName.CustomerScoring, cancellationToken);
        var running = await db.Set<ScoringRun>().AsNoTracking().FirstOrDefaultAsync(r => r.Status == ScoringRunStatus.Running, cancellationToken);
        if (running is not null)
        {
            return running;
        }

        var now = db.Clock.UtcNow();
        var run = new ScoringRun { Trigger = trigger, Status = ScoringRunStatus.Running, StartedAt = now, UpdatedAt = now, StartedBy = startedBy };
        db.Add(run);
        db.Publish("scoring_run.started", $"scoring-runs/{run.Id}", () => new { runId = run.Id, trigger = run.Trigger });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return run;
    }

    /// <summary>
    /// Continues the running run chunk by chunk until it is done, <paramref name="maxChunks"/> chunks are
    /// scored or <paramref name="budget"/> is spent; returns the run as it stands.
    /// </summary>
    public async Task<ScoringRun?> ContinueAsync(int? maxChunks, TimeSpan? budget, CancellationToken cancellationToken, int? chunkSize = null)
    {
        var started = clock.GetTimestamp();
        var size = chunkSize ?? options.Value.ChunkSize;
        ScoringRun? run = null;
        for (var chunks = 0; maxChunks is null || chunks < maxChunks; chunks++)
        {
            if (budget is { } limit && clock.GetElapsedTime(started) > limit)
            {
                break;
            }

            run = await ScoreNextChunkAsync(size, cancellationToken);
            if (run is not { Status: ScoringRunStatus.Running })
            {
                break;
            }
        }

        return run;
    }

    private async Task<ScoringRun?> ScoreNextChunkAsync(int chunkSize, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<OperationContext>().BecomeSystem();
        var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
        // A read first: an idle worker must not take the write lock every few seconds for nothing.
        if (!await db.Set<ScoringRun>().AnyAsync(r => r.Status == ScoringRunStatus.Running, cancellationToken))
        {
            return null;
        }

        // A bulk load's transaction: on SQLite a page cache large enough to keep the score indexes' pages between the chunk's delete and insert.
        await using var transaction = await db.BeginBulkInsertAsync(cancellationToken);
        await db.LockAsync(LockName.CustomerScoring, cancellationToken);
        var run = await db.Set<ScoringRun>().FirstOrDefaultAsync(r => r.Status == ScoringRunStatus.Running, cancellationToken);
        if (run is null)
        {
            return null;
        }

        var now = clock.UtcNow();
        var times = new ScoringPhaseTimes();
        var chunkWatch = Stopwatch.StartNew();
        try
        {
            var after = run.ResumeAfter;
            var customers = await CustomerAccess.All(db)
                .Where(c => after == null || c.Id.CompareTo(after.Value) > 0)
                .OrderBy(c => c.Id).Take(chunkSize)
                .Select(c => new ScoredCustomer(c.Id, c.OwnerId))
                .ToListAsync(cancellationToken);
            if (customers.Count == 0)
            {
                await HealthTrend.SnapshotAsync(db, DateOnly.FromDateTime(now), cancellationToken);
                run.Status = ScoringRunStatus.Completed;
                run.FinishedAt = now;
                db.Publish("scoring_run.completed", $"scoring-runs/{run.Id}", () => new { runId = run.Id, run.CustomersScored, run.Crossings, run.Chunks });
                logger.LogInformation("Scoring run {RunId} completed: {Customers} customers scored in {Chunks} chunks, {Crossings} threshold crossings",
                    run.Id, run.CustomersScored, run.Chunks, run.Crossings);
            }
            else
            {
                var model = (await ScoringRules.LoadAsync(db, cancellationToken)).ToModel();
                run.Crossings += await ScoreCalculator.ScoreAsync(db, customers, model, now, cancellationToken, isIdRange: true, times);
                run.CustomersScored += customers.Count;
                run.Chunks++;
                run.ResumeAfter = customers[^1].Id;
            }

            run.UpdatedAt = now;
            var commit = Stopwatch.StartNew();
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            times.Add(ScoringPhaseTimes.Phase.Commit, commit);
            logger.LogDebug("Scoring run {RunId} chunk {Chunk}: {Customers} customers in {Milliseconds:F0} ms ({Phases})",
                run.Id, run.Chunks, customers.Count, chunkWatch.Elapsed.TotalMilliseconds, times);
            return run;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The chunk rolled back and the run stays running: the next attempt resumes from the last committed cursor
            // (spec 002: continue on timeout). The run records the error until then.
            logger.LogError(e, "Scoring run {RunId} stopped after {Customers} customers; it resumes at the next attempt", run.Id, run.CustomersScored);
            await RecordErrorAsync(run.Id, e, cancellationToken);
            throw;
        }
    }

    private async Task RecordErrorAsync(Guid runId, Exception error, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<OperationContext>().BecomeSystem();
        var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
        var message = error.GetType().Name + ": " + error.Message;
        message = message.Length <= ScoringRun.ErrorMaxLength ? message : message[..ScoringRun.ErrorMaxLength];
        var now = clock.UtcNow();
        await db.Set<ScoringRun>().Where(r => r.Id == runId).ExecuteUpdateAsync(
            s => s.SetProperty(r => r.UpdatedAt, now).SetProperty(r => r.Error, message), cancellationToken);
    }

    /// <summary>Rescores the customers queued because their factors changed; returns how many queue entries it took.</summary>
    public async Task<int> ProcessQueueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<OperationContext>().BecomeSystem();
        var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
        if (!await db.Set<ScoringQueueEntry>().AnyAsync(cancellationToken))
        {
            return 0;
        }

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        await db.LockAsync(LockName.CustomerScoring, cancellationToken);
        var batch = await db.Set<ScoringQueueEntry>().AsNoTracking().OrderBy(q => q.Id).Take(QueueBatch)
            .Select(q => new { q.Id, q.CustomerId }).ToListAsync(cancellationToken);
        if (batch.Count == 0)
        {
            return 0;
        }

        var customers = await ScoreCalculator.CustomersAsync(db, batch.Select(b => b.CustomerId).Distinct().ToList(), cancellationToken);
        var model = (await ScoringRules.LoadAsync(db, cancellationToken)).ToModel();
        var crossings = await ScoreCalculator.ScoreAsync(db, customers, model, clock.UtcNow(), cancellationToken);
        // Customers deleted since they were queued keep no scores: the dashboard would count them for no one.
        var gone = batch.Select(b => b.CustomerId).Except(customers.Select(c => c.Id)).ToList();
        if (gone.Count > 0)
        {
            await db.Set<CustomerScore>().Where(s => gone.Contains(s.CustomerId)).ExecuteDeleteAsync(cancellationToken);
        }

        var taken = batch.Select(b => b.Id).ToList();
        await db.Set<ScoringQueueEntry>().Where(q => taken.Contains(q.Id)).ExecuteDeleteAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Rescored {Customers} queued customers, {Crossings} threshold crossings", customers.Count, crossings);
        return batch.Count;
    }

    /// <summary>Recalculates one customer's scores now (the caller has checked reach).</summary>
    public static async Task RecalculateAsync(AidaDb db, Guid customerId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        await db.LockAsync(LockName.CustomerScoring, cancellationToken);
        var customers = await ScoreCalculator.CustomersAsync(db, [customerId], cancellationToken);
        var model = (await ScoringRules.LoadAsync(db, cancellationToken)).ToModel();
        await ScoreCalculator.ScoreAsync(db, customers, model, db.Clock.UtcNow(), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}

/// <summary>
/// The scoring queue as a scheduled job: every <see cref="ScoringOptions.QueueInterval"/> (and at once on
/// <see cref="ScoringWakeUp"/>) it rescores the queued customers, then continues a running full run for a slice of
/// time (so the queue never waits long behind one); a run still going makes the job due again at once. A run
/// interrupted by a stop is continued by the next run of the job, on whichever node takes it. A failed run leaves
/// the queue and the run's cursor where the last commit left them.
/// </summary>
public sealed class ScoringQueueJob(ScoringEngine engine, IOptions<ScoringOptions> options) : IScheduledJob
{
    public const string JobName = "scoring.queue";

    public string Name => JobName;

    public string Description => "Rescores customers whose factors changed, and carries a full recalculation forward chunk by chunk.";

    public TimeSpan Interval => options.Value.QueueInterval;

    public bool Enabled => options.Value.WorkerEnabled;

    /// <summary>Items: the customers rescored from the queue.</summary>
    public async Task<JobOutcome> RunAsync(CancellationToken cancellationToken)
    {
        var rescored = 0;
        int batch;
        while ((batch = await engine.ProcessQueueAsync(cancellationToken)) > 0)
        {
            rescored += batch; // A backlog is worked off right away.
        }

        // A run still going after its slice continues as soon as the queue has been looked at, not after the queue
        // interval: waiting there idled a full run a fifth of its time (5 s in every 20).
        var run = await engine.ContinueAsync(null, options.Value.RunSlice, cancellationToken);
        return new JobOutcome(rescored, MoreDue: run is { Status: ScoringRunStatus.Running });
    }
}

/// <summary>
/// The nightly full recalculation (spec 002's daily scoring) at <see cref="ScoringOptions.DailyAt"/> UTC: it starts
/// the run, which <see cref="ScoringQueueJob"/> carries out. Its next time is kept in the jobs table, so a night
/// missed while every node was down is made up when one starts.
/// </summary>
public sealed class ScoringDailyJob(IServiceScopeFactory scopes, JobTriggers triggers, IOptions<ScoringOptions> options) : IScheduledJob
{
    public string Name => "scoring.daily";

    public string Description => "Starts the nightly full recalculation of every customer's scores.";

    public TimeSpan Interval => TimeSpan.FromDays(1);

    public bool Enabled => options.Value.WorkerEnabled && options.Value.DailyRunEnabled;

    public DateTime FirstRunAt(DateTime now) => NextDaily(now);

    public DateTime NextRunAt(DateTime finishedAt) => NextDaily(finishedAt);

    public async Task<JobOutcome> RunAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<OperationContext>().BecomeSystem();
        await ScoringEngine.StartAsync(scope.ServiceProvider.GetRequiredService<AidaDb>(), ScoringRunTrigger.Schedule, null, cancellationToken);
        triggers.RunSoon(ScoringQueueJob.JobName);
        return new JobOutcome(1);
    }

    private DateTime NextDaily(DateTime now)
    {
        var today = now.Date + options.Value.DailyAt;
        return today > now ? today : today.AddDays(1);
    }
}
