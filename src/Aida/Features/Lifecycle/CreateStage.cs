namespace Aida.Features.Lifecycle;

/// <summary>
/// <c>POST /api/v1/lifecycle/stages</c> (admin.settings): add a stage. The code is made from the name when
/// not sent; the display order defaults to after the last stage. A new stage has no transition rules yet:
/// customers reach it only once the rules allow a move into it.
/// </summary>
public static class CreateStage
{
    public sealed record Request(
        string? Name,
        string? Code,
        int? DisplayOrder,
        StageCategory? Category,
        AidaPhase? Phase,
        string? Color,
        string? Description,
        bool? IsActive);

    public static async Task<Results<Created<LifecycleStageResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        [FromBody] Request request, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(request, db, cancellationToken)).ToCreated(response, created => $"/api/v1/lifecycle/stages/{created.Id}");

    public static async Task<Result<LifecycleStageResponse>> RunAsync(Request request, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var name = errors.RequiredText("name", request.Name, LifecycleStage.NameMaxLength);
        var code = request.Code is null ? (name is null ? null : StageRules.CodeOf(name)) : StageRules.Code(errors, request.Code);
        if (request.Category is null)
        {
            errors.Add("category", "Is required: pre_customer, customer or post_customer.");
        }

        if (request.Phase is null)
        {
            errors.Add("phase", "Is required: capture, connect, convert or retain (the AIDA step the stage belongs to).");
        }

        if (request.DisplayOrder is < 0)
        {
            errors.Add("displayOrder", "Must be 0 or more.");
        }

        var color = StageRules.Color(errors, request.Color);
        var description = errors.OptionalText("description", request.Description, LifecycleStage.DescriptionMaxLength);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        await StageRules.CheckUniqueAsync(db, errors, null, name, code, cancellationToken);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        var stage = new LifecycleStage
        {
            Name = name!,
            Code = code!,
            DisplayOrder = request.DisplayOrder ?? ((await db.Set<LifecycleStage>().MaxAsync(s => (int?)s.DisplayOrder, cancellationToken) ?? 0) + 1),
            Category = request.Category!.Value,
            Phase = request.Phase!.Value,
            Color = color,
            Description = description,
            IsActive = request.IsActive ?? true,
        };
        db.Add(stage);
        db.Publish("lifecycle_stage.created", LifecycleMapping.StageSubject(stage), () => new { stage = stage.ToResponse() });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Result.Ok(stage.ToResponse(), stage.Version);
    }
}
