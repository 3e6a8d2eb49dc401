namespace Aida.Features.Deals;

/// <summary>Add a pipeline with its stages in order (admin.settings); made the default if asked, the old default then stops being one.</summary>
public static class CreatePipeline
{
    public sealed record Request(string? Name, bool? IsDefault, IReadOnlyList<StageInput>? Stages);

    public static async Task<Results<Created<PipelineResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        [FromBody] Request request, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(request, db, cancellationToken)).ToCreated(response, created => $"/api/v1/pipelines/{created.Id}");

    public static async Task<Result<PipelineResponse>> RunAsync(Request request, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var name = PipelineRules.Name(errors, request.Name);
        var stages = PipelineRules.Stages(errors, request.Stages);
        if (stages.Any(s => s.Id is not null))
        {
            errors.Add("stages", "A new pipeline's stages have no ids yet; leave id out.");
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var pipeline = new Pipeline { Name = name!, IsDefault = request.IsDefault == true };
        if (pipeline.IsDefault)
        {
            await UpdatePipeline.ClearDefaultAsync(db, cancellationToken);
        }

        db.Add(pipeline);
        var position = 1;
        foreach (var stage in stages)
        {
            db.Add(new PipelineStage { PipelineId = pipeline.Id, Name = stage.Name, Code = stage.Code, Position = position++, Probability = stage.Probability, Kind = stage.Kind });
        }

        db.Publish("pipeline.created", Subject(pipeline), () => new { pipelineId = pipeline.Id, pipeline.Name, pipeline.IsDefault });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Result.Ok(await GetPipeline.ResponseAsync(db, pipeline, cancellationToken), pipeline.Version);
    }

    public static string Subject(Pipeline pipeline) => $"pipelines/{pipeline.Id}";
}
