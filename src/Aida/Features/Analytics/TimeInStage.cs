using Aida.Features.Deals;
using Aida.Platform.Reporting;

namespace Aida.Features.Analytics;

/// <summary>
/// <c>GET /api/v1/analytics/time-in-stage</c>: how long deals stay in each stage of a pipeline (the default
/// unless named), from the stage history: stays that ended (entered → left) and stays still running
/// (entered → now), each averaged, and both together. <c>from</c>/<c>to</c> select stays by when they began.
/// </summary>
public static class TimeInStage
{
    public sealed record StageTime(Guid StageId, string Code, string Name, int Position, int Stays, decimal? AverageDays, int ClosedStays, decimal? AverageClosedDays, int OpenStays, decimal? AverageOpenDays);

    public sealed record Response(Guid PipelineId, IReadOnlyList<StageTime> Stages);

    public static async Task<Results<Ok<Response>, ValidationProblem>> Handle(Guid? pipelineId, string? from, string? to, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var (since, until) = Reports.Range(errors, from, to);
        if (pipelineId is { } asked && !await db.Set<Pipeline>().AnyAsync(p => p.Id == asked, cancellationToken))
        {
            errors.Add("pipelineId", "No pipeline with this id exists.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var pipeline = pipelineId ?? await db.Set<Pipeline>().Where(p => p.IsDefault).Select(p => p.Id).SingleAsync(cancellationToken);
        var stages = await db.Set<PipelineStage>().AsNoTracking().Where(s => s.PipelineId == pipeline).OrderBy(s => s.Position).ToListAsync(cancellationToken);
        var stageIds = stages.Select(s => s.Id).ToList();
        // The history's own filter keeps it to deals the actor reaches.
        var stays = db.Set<OpportunityStageHistory>().AsNoTracking().Where(h => stageIds.Contains(h.StageId));
        if (since is { } s)
        {
            stays = stays.Where(h => h.EnteredAt >= s);
        }

        if (until is { } u)
        {
            stays = stays.Where(h => h.EnteredAt < u);
        }

        var rows = await Reports.BoundedAsync(stays.Select(h => new { h.StageId, h.EnteredAt, h.LeftAt }), errors, "from", cancellationToken);
        if (rows is null)
        {
            return errors.ToProblem();
        }

        var now = db.Clock.UtcNow();
        return TypedResults.Ok(new Response(pipeline, stages.Select(stage =>
        {
            var mine = rows.Where(r => r.StageId == stage.Id).ToList();
            var closed = mine.Where(r => r.LeftAt is not null).Select(r => Days(r.LeftAt!.Value - r.EnteredAt)).ToList();
            var open = mine.Where(r => r.LeftAt is null).Select(r => Days(now - r.EnteredAt)).ToList();
            return new StageTime(stage.Id, stage.Code, stage.Name, stage.Position,
                mine.Count, Average(closed.Concat(open).ToList()), closed.Count, Average(closed), open.Count, Average(open));
        }).ToList()));
    }

    private static decimal Days(TimeSpan span) => (decimal)span.Ticks / TimeSpan.TicksPerDay;

    private static decimal? Average(List<decimal> days) => days.Count == 0 ? null : Math.Round(days.Average(), 2, MidpointRounding.AwayFromZero);
}
