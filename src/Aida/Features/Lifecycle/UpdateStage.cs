namespace Aida.Features.Lifecycle;

/// <summary>
/// <c>PATCH /api/v1/lifecycle/stages/{id}</c> (admin.settings, merge-patch, If-Match): rename, recode,
/// reorder (AC-1), recolour, re-categorise or deactivate a stage. A deactivated stage keeps its customers
/// and history; no one moves into it.
/// </summary>
public static class UpdateStage
{
    public sealed record Request(
        Optional<string?> Name,
        Optional<string?> Code,
        Optional<int> DisplayOrder,
        Optional<StageCategory> Category,
        Optional<AidaPhase> Phase,
        Optional<string?> Color,
        Optional<string?> Description,
        Optional<bool> IsActive);

    public static async Task<Results<Ok<LifecycleStageResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id,
        [FromBody] Request request,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        AidaDb db,
        HttpResponse response,
        CancellationToken cancellationToken) =>
        (await RunAsync(id, request, ifMatch, db, cancellationToken)).ToOk(response);

    public static Task<Result<LifecycleStageResponse>> RunAsync(Guid id, Request request, string? ifMatch, AidaDb db, CancellationToken cancellationToken) =>
        db.ChangeAsync(db.Set<LifecycleStage>().Where(s => s.Id == id), ifMatch, "lifecycle stage", async Task<Failure?> (stage) =>
        {
            var errors = new ValidationErrors();
            var name = request.Name.IsSet ? errors.RequiredText("name", request.Name.Value, LifecycleStage.NameMaxLength) : stage.Name;
            string? code = stage.Code;
            if (request.Code.IsSet)
            {
                code = StageRules.Code(errors, request.Code.Value);
                if (code is null)
                {
                    errors.Add("code", "Is required: a stage keeps a code for integrations.");
                }
            }

            if (request.DisplayOrder is { IsSet: true, Value: < 0 })
            {
                errors.Add("displayOrder", "Must be 0 or more.");
            }

            var color = request.Color.IsSet ? StageRules.Color(errors, request.Color.Value) : stage.Color;
            var description = request.Description.IsSet
                ? errors.OptionalText("description", request.Description.Value, LifecycleStage.DescriptionMaxLength)
                : stage.Description;
            await StageRules.CheckUniqueAsync(db, errors, stage.Id, request.Name.IsSet ? name : null, request.Code.IsSet ? code : null, cancellationToken);
            if (errors.Any)
            {
                return errors.ToFailure();
            }

            stage.Name = name!;
            stage.Code = code!;
            stage.DisplayOrder = request.DisplayOrder.Or(stage.DisplayOrder);
            stage.Category = request.Category.Or(stage.Category);
            stage.Phase = request.Phase.Or(stage.Phase);
            stage.Color = color;
            stage.Description = description;
            stage.IsActive = request.IsActive.Or(stage.IsActive);
            db.PublishChanges(stage, "lifecycle_stage.updated", LifecycleMapping.StageSubject(stage), changes => new { stage = stage.ToResponse(), changes });
            return null;
        }, stage => stage.ToResponse(), cancellationToken);
}
