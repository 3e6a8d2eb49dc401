namespace Aida.Features.Scoring;

/// <summary>
/// <c>POST /api/v1/scoring/runs</c> (admin.settings): start a full recalculation of every customer's scores
/// (or get the one already running); the scoring worker carries it out chunk by chunk. 202 with the run.
/// </summary>
public static class StartScoringRun
{
    public static async Task<Accepted<ScoringRunResponse>> Handle(AidaDb db, ScoringWakeUp wakeUp, CancellationToken cancellationToken)
    {
        var run = await ScoringEngine.StartAsync(db, ScoringRunTrigger.Manual, db.ActorId, cancellationToken);
        wakeUp.Signal();
        return TypedResults.Accepted($"/api/v1/scoring/runs/{run.Id}", run.ToResponse());
    }
}

/// <summary><c>GET /api/v1/scoring/runs</c>: the latest runs, newest first, with their counts (customers scored, crossings, chunks).</summary>
public static class ListScoringRuns
{
    public const int Shown = 50;

    public static async Task<Ok<IReadOnlyList<ScoringRunResponse>>> Handle(AidaDb db, CancellationToken cancellationToken)
    {
        var runs = await db.Set<ScoringRun>().AsNoTracking().OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id).Take(Shown).ToListAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<ScoringRunResponse>>(runs.Select(r => r.ToResponse()).ToList());
    }
}

/// <summary><c>GET /api/v1/scoring/health-dashboard</c>: health by grade, the at-risk list (paged) and the trend, within the caller's reach.</summary>
public static class GetHealthDashboard
{
    public static async Task<Results<Ok<HealthDashboardResponse>, ValidationProblem>> Handle(string? cursor, int? limit, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var take = Paging.Limit(limit, errors);
        if (cursor is not null && !AtRiskCursor.TryParse(cursor, out _, out _))
        {
            errors.Add("cursor", "Is not a cursor this list gave.");
        }

        if (errors.Any)
        {
            return errors.ToFailure().ToValidationProblem();
        }

        return TypedResults.Ok(await HealthTrend.RunAsync(db, cursor, take, cancellationToken));
    }
}

/// <summary>Wakes the scoring worker early (a run was just started) instead of at its next tick.</summary>
public sealed class ScoringWakeUp(Platform.Jobs.JobTriggers triggers)
{
    /// <summary>Runs the scoring queue on this node now rather than at its next interval (a full run was started, say).</summary>
    public void Signal() => triggers.RunSoon(ScoringQueueJob.JobName);
}
