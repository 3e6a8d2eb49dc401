namespace Aida.Features.Segments;

/// <summary><c>GET /api/v1/segments/{id}</c>: the segment, its member count in the viewer's reach and its last run.</summary>
public static class GetSegment
{
    public static async Task<Results<Ok<SegmentResponse>, ValidationProblem, ProblemHttpResult>> Handle(Guid id, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(id, db, cancellationToken)).ToOk(response);

    public static async Task<Result<SegmentResponse>> RunAsync(Guid id, AidaDb db, CancellationToken cancellationToken)
    {
        var segment = await db.Set<Segment>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (segment is null)
        {
            return new Failure.NotFound("segment");
        }

        return Result.Ok(await SegmentReach.ResponseAsync(db, segment, cancellationToken), segment.Version);
    }
}
