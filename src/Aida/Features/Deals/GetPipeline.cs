namespace Aida.Features.Deals;

public static class GetPipeline
{
    public static async Task<Results<Ok<PipelineResponse>, ProblemHttpResult>> Handle(Guid id, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(id, db, cancellationToken)).ToOkOrProblem(response);

    public static async Task<Result<PipelineResponse>> RunAsync(Guid id, AidaDb db, CancellationToken cancellationToken)
    {
        var pipeline = await db.Set<Pipeline>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (pipeline is null)
        {
            return new Failure.NotFound("pipeline");
        }

        return Result.Ok(await ResponseAsync(db, pipeline, cancellationToken), pipeline.Version);
    }

    public static async Task<PipelineResponse> ResponseAsync(AidaDb db, Pipeline pipeline, CancellationToken cancellationToken)
    {
        var stages = await db.Set<PipelineStage>().AsNoTracking().Where(s => s.PipelineId == pipeline.Id).OrderBy(s => s.Position).ToListAsync(cancellationToken);
        return ListPipelines.ToResponse(pipeline, stages);
    }
}
