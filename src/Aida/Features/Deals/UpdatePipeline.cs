namespace Aida.Features.Deals;

/// <summary>
/// Change a pipeline (admin.settings, If-Match): rename it, make it the default (the old default stops
/// being one, so there is always exactly one), or send its stages again in their new order — renamed,
/// with new probabilities, new ones (no id) added, missing ones removed. A stage code, once given, stays:
/// integrations and events know stages by it. A stage that holds or held deals is not removed, and one
/// that holds deals keeps its kind, so no deal is left in a stage that no longer exists or means otherwise.
/// </summary>
public static class UpdatePipeline
{
    public sealed record Request(Optional<string?> Name, Optional<bool> IsDefault, Optional<IReadOnlyList<StageInput>?> Stages);

    public static async Task<Results<Ok<PipelineResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id,
        [FromBody] Request request,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        AidaDb db,
        HttpResponse response,
        CancellationToken cancellationToken) =>
        (await RunAsync(id, request, ifMatch, db, cancellationToken)).ToOk(response);

    public static async Task<Result<PipelineResponse>> RunAsync(Guid id, Request request, string? ifMatch, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var name = request.Name.IsSet ? PipelineRules.Name(errors, request.Name.Value) : null;
        var stages = request.Stages.IsSet ? PipelineRules.Stages(errors, request.Stages.Value) : null;
        if (request.IsDefault is { IsSet: true, Value: false })
        {
            errors.Add("isDefault", "There is always one default pipeline: make another pipeline the default instead.");
        }

        // An invalid request is refused before the pipeline is looked for; an unreadable If-Match is still answered first.
        if (errors.Any && IfMatch.Parse(ifMatch).IsValid)
        {
            return errors.ToFailure();
        }

        var updated = await db.ChangeAsync(db.Set<Pipeline>().Where(p => p.Id == id), ifMatch, "pipeline", async Task<Failure?> (pipeline) =>
        {
            var changed = false;
            if (name is not null && name != pipeline.Name)
            {
                pipeline.Name = name;
                changed = true;
            }

            if (request.IsDefault is { IsSet: true, Value: true } && !pipeline.IsDefault)
            {
                await ClearDefaultAsync(db, cancellationToken);
                pipeline.IsDefault = true;
                changed = true;
            }

            if (stages is not null)
            {
                if (await ReplaceStagesAsync(db, pipeline, stages, errors, cancellationToken) is { } conflict)
                {
                    return conflict;
                }

                if (errors.Any)
                {
                    return errors.ToFailure();
                }

                changed |= db.ChangeTracker.HasChanges();
            }

            if (changed)
            {
                // The stages are part of the pipeline: a change to them is a new version of it (its ETag).
                db.Entry(pipeline).State = EntityState.Modified;
                db.Publish("pipeline.updated", CreatePipeline.Subject(pipeline), () => new { pipelineId = pipeline.Id, pipeline.Name, pipeline.IsDefault });
            }

            return null;
        }, pipeline => pipeline, cancellationToken);
        return await updated.MapAsync(pipeline => GetPipeline.ResponseAsync(db, pipeline, cancellationToken));
    }

    /// <summary>The current default stops being one, saved first: the unique index allows one default at any moment.</summary>
    public static async Task ClearDefaultAsync(AidaDb db, CancellationToken cancellationToken)
    {
        foreach (var current in await db.Set<Pipeline>().Where(p => p.IsDefault).ToListAsync(cancellationToken))
        {
            current.IsDefault = false;
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private static async Task<Failure?> ReplaceStagesAsync(
        AidaDb db, Pipeline pipeline, List<PipelineRules.CheckedStage> stages, ValidationErrors errors, CancellationToken cancellationToken)
    {
        var existing = await db.Set<PipelineStage>().Where(s => s.PipelineId == pipeline.Id).ToDictionaryAsync(s => s.Id, cancellationToken);
        var deals = DealAccess.All(db);
        for (var i = 0; i < stages.Count; i++)
        {
            if (stages[i].Id is { } stageId && !existing.ContainsKey(stageId))
            {
                errors.Add($"stages[{i}].id", "Is not a stage of this pipeline.");
            }
            else if (stages[i] is { Id: { } sameId, CodeSent: true } && existing[sameId].Code != stages[i].Code)
            {
                errors.Add($"stages[{i}].code", "A stage keeps its code; leave code out or send the current one.");
            }
        }

        if (errors.Any)
        {
            return null;
        }

        var kept = stages.Where(s => s.Id is not null).Select(s => s.Id!.Value).ToHashSet();
        var removed = existing.Keys.Where(stageId => !kept.Contains(stageId)).ToList();
        if (removed.Count > 0 && (await deals.AnyAsync(o => removed.Contains(o.StageId), cancellationToken)
            || await db.Set<OpportunityStageHistory>().IgnoreQueryFilters().AnyAsync(h => removed.Contains(h.StageId), cancellationToken)))
        {
            return new Failure.Conflict("stages", "A stage that holds or held deals cannot be removed; move its deals and keep the stage, or rename it.");
        }

        var kindChanged = stages.Where(s => s.Id is { } keptId && existing[keptId].Kind != s.Kind).Select(s => s.Id!.Value).ToList();
        if (kindChanged.Count > 0 && await deals.AnyAsync(o => kindChanged.Contains(o.StageId), cancellationToken))
        {
            return new Failure.Conflict("stages", "A stage that holds deals keeps its kind (open, won or lost); move its deals first.");
        }

        var position = 1;
        foreach (var stage in stages)
        {
            if (stage.Id is { } stageId)
            {
                var row = existing[stageId];
                row.Name = stage.Name;
                row.Probability = stage.Probability;
                row.Kind = stage.Kind;
                row.Position = position++;
            }
            else
            {
                if (existing.Values.Any(s => s.Code == stage.Code && kept.Contains(s.Id)))
                {
                    errors.Add("stages", $"The code '{stage.Code}' belongs to a stage of this pipeline; send that stage's id to keep it.");
                }

                db.Add(new PipelineStage { PipelineId = pipeline.Id, Name = stage.Name, Code = stage.Code, Position = position++, Probability = stage.Probability, Kind = stage.Kind });
            }
        }

        foreach (var stageId in removed)
        {
            db.Remove(existing[stageId]);
        }

        return null;
    }
}
