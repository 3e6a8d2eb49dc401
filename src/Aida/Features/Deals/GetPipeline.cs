using Aida.Platform.Data;
using Aida.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Aida.Features.Deals;

public static class GetPipeline
{
    public static async Task<Results<Ok<PipelineResponse>, ProblemHttpResult>> Handle(Guid id, AidaDb db, HttpResponse response, CancellationToken cancellationToken)
    {
        var pipeline = await db.Set<Pipeline>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (pipeline is null)
        {
            return Problems.NotFound("pipeline");
        }

        ETags.Set(response, pipeline.Version);
        return TypedResults.Ok(await ResponseAsync(db, pipeline, cancellationToken));
    }

    public static async Task<PipelineResponse> ResponseAsync(AidaDb db, Pipeline pipeline, CancellationToken cancellationToken)
    {
        var stages = await db.Set<PipelineStage>().AsNoTracking().Where(s => s.PipelineId == pipeline.Id).OrderBy(s => s.Position).ToListAsync(cancellationToken);
        return ListPipelines.ToResponse(pipeline, stages);
    }
}
