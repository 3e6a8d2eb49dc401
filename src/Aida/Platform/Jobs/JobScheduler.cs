using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace Aida.Platform.Jobs;

public sealed class JobSchedulerOptions
{
    /// <summary>How often this node looks at the jobs table for due jobs (a job's own interval still decides when it is due).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a lease lasts without renewal: a node that died holds its jobs at most this long before another
    /// node takes them over. Renewed every third of it while the job runs.
    /// </summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Off: no job runs on this node (another node does the work, or a test drives jobs itself).</summary>
    public bool Enabled { get; set; } = true;
}

/// <summary>
/// The one scheduler (issue 19 item 6), built on leases in the database rather than Quartz.NET: the jobs
/// table is migrated with the rest of the schema on both databases, a lease is one conditional update, and
/// SQLite needs no second store. Each tick this node reads the jobs table; a job that is due (its next run
/// has come, someone asked for "run now", or <see cref="JobTriggers"/> asked this node) and whose lease is
/// free or lapsed is claimed with a conditional update — on PostgreSQL exactly one node's update wins — and
/// run here. While it runs its lease is renewed; a run whose lease was lost is cancelled. Runs of different
/// jobs overlap; one job never runs twice at once on this node.
/// </summary>
public sealed class JobScheduler(
    IEnumerable<IScheduledJob> jobs, JobTriggers triggers, IServiceScopeFactory scopes, TimeProvider clock,
    IOptions<JobSchedulerOptions> options, ILogger<JobScheduler> logger) : BackgroundService
{
    private readonly Dictionary<string, IScheduledJob> _jobs = jobs.ToDictionary(j => j.Name, StringComparer.Ordinal);
    private readonly Dictionary<string, Task> _running = new(StringComparer.Ordinal);
    private readonly HashSet<string> _triggered = new(StringComparer.Ordinal);
    private readonly HashSet<string> _rerun = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>This process's name in leases: host, process and a random part, so two processes on one host differ.</summary>
    public string NodeId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    public IReadOnlyCollection<IScheduledJob> Jobs => _jobs.Values;

    public IScheduledJob? Find(string name) => _jobs.GetValueOrDefault(name);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled || _jobs.Count == 0)
        {
            return;
        }

        // A job due every 200 ms is looked at that often; never more often than every 50 ms.
        var shortest = _jobs.Values.Where(j => j.Enabled).Select(j => j.Interval).DefaultIfEmpty(options.Value.PollInterval).Min();
        var poll = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(50).Ticks, Math.Min(options.Value.PollInterval.Ticks, shortest.Ticks)));
        try
        {
            await RegisterAsync(stoppingToken);
            var tick = Task.CompletedTask;
            var request = triggers.Requests.WaitToReadAsync(stoppingToken).AsTask();
            while (!stoppingToken.IsCancellationRequested)
            {
                if (await Task.WhenAny(tick, request) == request)
                {
                    await request;
                    TakeTriggers();
                    request = triggers.Requests.WaitToReadAsync(stoppingToken).AsTask();
                }
                else
                {
                    tick = Task.Delay(poll, clock, stoppingToken);
                }

                try
                {
                    await StartDueAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The database may be away for a moment; the next tick tries again.
                    logger.LogWarning(e, "The job scheduler could not read the jobs table");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        Task[] running;
        lock (_gate)
        {
            running = [.. _running.Values];
        }

        // The stop cancelled every run; each gives its lease back as it ends, so another node takes over at once.
        await Task.WhenAll(running);
    }

    /// <summary>Requests for this node: a job that is running runs again right after; others are due now.</summary>
    private void TakeTriggers()
    {
        lock (_gate)
        {
            while (triggers.Requests.TryRead(out var name))
            {
                if (!_jobs.ContainsKey(name))
                {
                    continue;
                }

                if (_running.ContainsKey(name))
                {
                    _rerun.Add(name);
                }
                else
                {
                    _triggered.Add(name);
                }
            }
        }
    }

    /// <summary>Gives every registered job its row, due now; another node may insert the same row at the same moment.</summary>
    private async Task RegisterAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
                var known = await db.Set<JobRecord>().Select(j => j.Name).ToListAsync(cancellationToken);
                var now = clock.UtcNow();
                foreach (var name in _jobs.Keys.Except(known, StringComparer.Ordinal))
                {
                    db.Add(new JobRecord { Name = name, NextRunAt = _jobs[name].FirstRunAt(now) });
                }

                await using var transaction = await db.BeginWriteAsync(cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException && attempt < 5)
            {
                // Another node registered a job first (unique name), or the database is starting: look again.
                await Task.Delay(TimeSpan.FromSeconds(attempt), clock, cancellationToken);
            }
        }
    }

    private async Task StartDueAsync(CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
        var rows = await db.Set<JobRecord>().AsNoTracking().ToDictionaryAsync(j => j.Name, StringComparer.Ordinal, stoppingToken);
        var now = clock.UtcNow();
        foreach (var job in _jobs.Values)
        {
            bool triggered;
            lock (_gate)
            {
                if (_running.ContainsKey(job.Name))
                {
                    continue;
                }

                triggered = _triggered.Remove(job.Name);
            }

            if (!job.Enabled || !rows.TryGetValue(job.Name, out var row)
                || !(triggered || row.RunRequestedAt is not null || row.NextRunAt <= now)
                || (row.LeaseOwner is not null && row.LeaseExpiresAt >= now))
            {
                continue;
            }

            if (await TryClaimAsync(db, job.Name, triggered, now, stoppingToken))
            {
                lock (_gate)
                {
                    _running[job.Name] = Task.Run(() => RunAsync(job, stoppingToken), CancellationToken.None);
                }
            }
        }
    }

    /// <summary>Moves the job's lease to this node if it is still free and the job still due; false when another node was first.</summary>
    private async Task<bool> TryClaimAsync(AidaDb db, string name, bool triggered, DateTime now, CancellationToken cancellationToken)
    {
        var until = now + options.Value.Lease;
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var claimed = await db.Set<JobRecord>()
            .Where(j => j.Name == name && (j.LeaseOwner == null || j.LeaseExpiresAt < now)
                && (triggered || j.RunRequestedAt != null || j.NextRunAt <= now))
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.LeaseOwner, NodeId)
                .SetProperty(j => j.LeaseExpiresAt, until)
                .SetProperty(j => j.RunRequestedAt, (DateTime?)null)
                .SetProperty(j => j.LastStartedAt, now), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return claimed == 1;
    }

    private async Task RunAsync(IScheduledJob job, CancellationToken stoppingToken)
    {
        using var run = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        using var renewing = new CancellationTokenSource();
        var renewal = RenewAsync(job.Name, run, renewing.Token);
        var watch = Stopwatch.StartNew();
        var items = 0;
        TimeSpan? retryAfter = null;
        Exception? failure = null;
        try
        {
            while (true)
            {
                var outcome = await job.RunAsync(run.Token);
                items += outcome.Items;
                retryAfter = outcome.RetryAfter;
                bool again;
                lock (_gate)
                {
                    again = _rerun.Remove(job.Name) | outcome.MoreDue;
                }

                if (!again)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (run.IsCancellationRequested)
        {
            failure = null;
        }
        catch (Exception e)
        {
            failure = e;
        }

        await renewing.CancelAsync();
        await renewal;
        try
        {
            await FinishAsync(job, watch.Elapsed, items, retryAfter, failure, interrupted: run.IsCancellationRequested && failure is null);
        }
        catch (Exception e)
        {
            // The lease lapses by itself; the job is run again then.
            logger.LogWarning(e, "Recording the run of job {Job} failed", job.Name);
        }

        lock (_gate)
        {
            _running.Remove(job.Name);
            if (_rerun.Remove(job.Name))
            {
                triggers.RunSoon(job.Name); // Asked for while this run was ending: run again, here, now.
            }
        }
    }

    /// <summary>Extends the lease every third of its length; a lease another node took over cancels the run.</summary>
    private async Task RenewAsync(string name, CancellationTokenSource run, CancellationToken stop)
    {
        var every = options.Value.Lease / 3;
        try
        {
            while (true)
            {
                await Task.Delay(every, clock, stop);
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
                    var until = clock.UtcNow() + options.Value.Lease;
                    await using var transaction = await db.BeginWriteAsync(stop);
                    var renewed = await db.Set<JobRecord>().Where(j => j.Name == name && j.LeaseOwner == NodeId)
                        .ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseExpiresAt, until), stop);
                    await transaction.CommitAsync(stop);
                    if (renewed == 0)
                    {
                        logger.LogWarning("Job {Job} lost its lease to another node; its run here stops", name);
                        await run.CancelAsync();
                        return;
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Tried again at the next renewal, well before the lease lapses.
                    logger.LogWarning(e, "Renewing the lease of job {Job} failed", name);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Records the run and gives the lease back. A run cut short by a stop is not a run: the job stays due, so
    /// another node starts it at once.
    /// </summary>
    private async Task FinishAsync(IScheduledJob job, TimeSpan duration, int items, TimeSpan? retryAfter, Exception? failure, bool interrupted)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
        var now = clock.UtcNow();
        await using var transaction = await db.BeginWriteAsync(CancellationToken.None);
        var mine = db.Set<JobRecord>().Where(j => j.Name == job.Name && j.LeaseOwner == NodeId);
        if (interrupted)
        {
            await mine.ExecuteUpdateAsync(s => s
                .SetProperty(j => j.LeaseOwner, (string?)null)
                .SetProperty(j => j.LeaseExpiresAt, (DateTime?)null)
                .SetProperty(j => j.NextRunAt, now), CancellationToken.None);
        }
        else
        {
            var error = failure is null ? null : Truncate($"{failure.GetType().Name}: {failure.Message}");
            var succeeded = failure is null;
            var failed = succeeded ? 0 : 1;
            var next = job.NextRunAt(now);
            if (failure is null && retryAfter is { } soon && now + soon < next)
            {
                next = now + soon;
            }
            await mine.ExecuteUpdateAsync(s => s
                .SetProperty(j => j.LeaseOwner, (string?)null)
                .SetProperty(j => j.LeaseExpiresAt, (DateTime?)null)
                .SetProperty(j => j.NextRunAt, next)
                .SetProperty(j => j.LastFinishedAt, now)
                .SetProperty(j => j.LastDurationMs, (long)duration.TotalMilliseconds)
                .SetProperty(j => j.LastItems, items)
                .SetProperty(j => j.LastSucceeded, succeeded)
                .SetProperty(j => j.LastError, error)
                .SetProperty(j => j.LastNode, NodeId)
                .SetProperty(j => j.Runs, j => j.Runs + 1)
                .SetProperty(j => j.Failures, j => j.Failures + failed)
                .SetProperty(j => j.ConsecutiveFailures, j => succeeded ? 0 : j.ConsecutiveFailures + 1), CancellationToken.None);
        }

        await transaction.CommitAsync(CancellationToken.None);
        if (failure is not null)
        {
            logger.LogWarning(failure, "Job {Job} failed after {Duration} ms; it runs again in {Interval}", job.Name, (long)duration.TotalMilliseconds, job.Interval);
        }
        else if (items > 0)
        {
            logger.LogInformation("Job {Job} handled {Items} items in {Duration} ms", job.Name, items, (long)duration.TotalMilliseconds);
        }
    }

    private static string Truncate(string text) =>
        text.Length <= JobRecord.ErrorMaxLength ? text : text[..(JobRecord.ErrorMaxLength - 1)] + "…";
}
