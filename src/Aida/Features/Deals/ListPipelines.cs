namespace Aida.Features.Deals;

public sealed record StageResponse(Guid Id, string Name, string Code, int Position, int Probability, StageKind Kind);

public sealed record PipelineResponse(Guid Id, string Name, bool IsDefault, IReadOnlyList<StageResponse> Stages, int Version);

public static class ListPipelines
{
    public sealed record Response(IReadOnlyList<PipelineResponse> Items);

    public static Task<Response> Handle(AidaDb db, CancellationToken cancellationToken) => RunAsync(db, cancellationToken);

    public static async Task<Response> RunAsync(AidaDb db, CancellationToken cancellationToken)
    {
        var pipelines = await db.Set<Pipeline>().AsNoTracking().OrderByDescending(p => p.IsDefault).ThenBy(p => p.Name).ToListAsync(cancellationToken);
        var ids = pipelines.Select(p => p.Id).ToList();
        var stages = await db.Set<PipelineStage>().AsNoTracking().Where(s => ids.Contains(s.PipelineId)).OrderBy(s => s.Position).ToListAsync(cancellationToken);
        return new Response(pipelines.Select(p => ToResponse(p, stages.Where(s => s.PipelineId == p.Id))).ToList());
    }

    public static PipelineResponse ToResponse(Pipeline pipeline, IEnumerable<PipelineStage> stages) => new(
        pipeline.Id, pipeline.Name, pipeline.IsDefault,
        stages.Select(s => new StageResponse(s.Id, s.Name, s.Code, s.Position, s.Probability, s.Kind)).ToList(),
        pipeline.Version);
}
