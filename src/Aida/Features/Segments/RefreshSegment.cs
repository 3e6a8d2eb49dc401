namespace Aida.Features.Segments;

/// <summary><c>POST /api/v1/segments/{id}/refresh</c> (segments.manage): recalculates a dynamic segment in full now and answers with it.</summary>
public static class RefreshSegment
{
    public static async Task<Results<Ok<SegmentResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, AidaDb db, IServiceScopeFactory scopes, ILogger<Segment> logger, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(id, db, scopes, logger, cancellationToken)).ToOk(response);

    public static async Task<Result<SegmentResponse>> RunAsync(Guid id, AidaDb db, IServiceScopeFactory scopes, ILogger logger, CancellationToken cancellationToken)
    {
        var segment = await db.Set<Segment>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (segment is null)
        {
            return new Failure.NotFound("segment");
        }

        if (segment.Type == SegmentType.Static)
        {
            return new Failure.Conflict("id", "A static segment's members are added by hand; there is nothing to recalculate.");
        }

        if (!segment.IsActive)
        {
            return new Failure.Conflict("id", "The segment is inactive; activate it to recalculate it.");
        }

        await SegmentRecalculation.RunWithDependentsAsync(scopes, id, SegmentRunReason.OnDemand, logger, cancellationToken);
        var saved = await db.Set<Segment>().AsNoTracking().FirstAsync(s => s.Id == id, cancellationToken);
        return Result.Ok(await SegmentReach.ResponseAsync(db, saved, cancellationToken), saved.Version);
    }
}
