namespace Aida.Platform.Jobs;

/// <summary>A job as the jobs screen and <c>GET /api/v1/admin/jobs</c> show it.</summary>
public sealed record JobResponse(
    string Name,
    string Description,
    bool Enabled,
    TimeSpan Interval,
    bool Running,
    string? RunningOn,
    DateTime? NextRunAt,
    bool RunRequested,
    DateTime? LastStartedAt,
    DateTime? LastFinishedAt,
    long? LastDurationMs,
    int? LastItems,
    bool? LastSucceeded,
    string? LastError,
    string? LastNode,
    long Runs,
    long Failures,
    int ConsecutiveFailures);

/// <summary>The jobs screen's API (issue 19 item 6): what each background job did last, when it runs next, and "run now". Administrators only.</summary>
public static class JobsEndpoints
{
    public static IEndpointRouteBuilder MapJobs(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/admin/jobs").WithTags("Jobs").RequirePermission(Auth.Permissions.AdminSettings);
        group.MapGet("/", List).WithName("Jobs_List")
            .WithSummary("Every background job: last run (start, duration, items, outcome), next run, the node running it now, failures.");
        group.MapPost("/{name}/run", RunNow).WithName("Jobs_RunNow").WithIdempotency()
            .WithSummary("Asks for a run as soon as possible, on whichever node takes the job next (usually within a second).");
        return app;
    }

    public static async Task<Ok<List<JobResponse>>> List(AidaDb db, JobScheduler scheduler, CancellationToken cancellationToken) =>
        TypedResults.Ok(await ListAsync(db, scheduler, cancellationToken));

    public static async Task<Results<Accepted<JobResponse>, ProblemHttpResult>> RunNow(
        string name, AidaDb db, JobScheduler scheduler, JobTriggers triggers, CancellationToken cancellationToken)
    {
        if (!await RequestRunAsync(name, db, scheduler, triggers, cancellationToken))
        {
            return Problems.NotFound("job");
        }

        var job = (await ListAsync(db, scheduler, cancellationToken)).Single(j => j.Name == name);
        return TypedResults.Accepted($"/api/v1/admin/jobs", job);
    }

    public static async Task<List<JobResponse>> ListAsync(AidaDb db, JobScheduler scheduler, CancellationToken cancellationToken)
    {
        var rows = await db.Set<JobRecord>().AsNoTracking().ToDictionaryAsync(j => j.Name, StringComparer.Ordinal, cancellationToken);
        var now = db.Clock.UtcNow();
        return scheduler.Jobs.OrderBy(j => j.Name, StringComparer.Ordinal).Select(job =>
        {
            var row = rows.GetValueOrDefault(job.Name);
            var running = row?.LeaseOwner is not null && row.LeaseExpiresAt >= now;
            return new JobResponse(
                job.Name, job.Description, job.Enabled, job.Interval, running, running ? row!.LeaseOwner : null, row?.NextRunAt,
                row?.RunRequestedAt is not null, row?.LastStartedAt, row?.LastFinishedAt, row?.LastDurationMs, row?.LastItems,
                row?.LastSucceeded, row?.LastError, row?.LastNode, row?.Runs ?? 0, row?.Failures ?? 0, row?.ConsecutiveFailures ?? 0);
        }).ToList();
    }

    /// <summary>Marks the job as asked for in the database (any node may take it) and wakes this node's scheduler; false for an unknown job.</summary>
    public static async Task<bool> RequestRunAsync(string name, AidaDb db, JobScheduler scheduler, JobTriggers triggers, CancellationToken cancellationToken)
    {
        if (scheduler.Find(name) is null)
        {
            return false;
        }

        var now = db.Clock.UtcNow();
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var marked = await db.Set<JobRecord>().Where(j => j.Name == name)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.RunRequestedAt, now), cancellationToken);
        if (marked == 0)
        {
            // Not registered yet (the scheduler starts with the server): register it due now.
            db.Add(new JobRecord { Name = name, NextRunAt = now, RunRequestedAt = now });
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        triggers.LookNow();
        return true;
    }
}
