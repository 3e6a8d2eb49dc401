namespace Aida.Features.Lifecycle;

/// <summary>
/// <c>PUT /api/v1/customers/{id}/lifecycle</c> (spec 004, WF-LC-001): move a customer to another stage.
/// 200 when moved (or already there); 202 with the request when the move waits for a manager's approval;
/// 409 naming the allowed moves when the transition rules refuse it, unless an administrator sends
/// <c>override: true</c> with a reason. If-Match is honoured when sent.
/// </summary>
public static class MoveCustomerStage
{
    public sealed record Request(Guid? StageId, string? Reason, bool? Override);

    public static async Task<Results<Ok<StageMoveResponse>, Accepted<StageMoveResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id,
        [FromBody] Request request,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        AidaDb db,
        HttpContext http,
        CancellationToken cancellationToken)
    {
        // A person in the web UI moves through the pages; through the API it is an integration or a script.
        var result = await RunAsync(id, request, ifMatch, StageChangeTrigger.Api, db, cancellationToken);
        if (result.Failure is Failure.Invalid invalid)
        {
            return invalid.ToValidationProblem();
        }

        if (result.Failure is { } failure)
        {
            return failure.ToProblem();
        }

        ETags.Set(http.Response, result.Value!.Lifecycle.Version);
        return result.Value.Outcome == StageMoveOutcome.Pending
            ? TypedResults.Accepted($"/api/v1/lifecycle/approvals/{result.Value.Request!.Id}", result.Value)
            : TypedResults.Ok(result.Value);
    }

    public static async Task<Result<StageMoveResponse>> RunAsync(
        Guid id, Request request, string? ifMatch, StageChangeTrigger trigger, AidaDb db, CancellationToken cancellationToken)
    {
        if (IfMatch.Parse(ifMatch) is not { IsValid: true } precondition)
        {
            return Failure.Invalid.IfMatch();
        }

        var errors = new ValidationErrors();
        if (request.StageId is null)
        {
            errors.Add("stageId", "Is required: the id of the stage to move to.");
        }

        var reason = errors.OptionalText("reason", request.Reason, LifecycleHistory.ReasonMaxLength);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var lifecycle = await db.Set<CustomerLifecycle>().FirstOrDefaultAsync(l => l.Id == id, cancellationToken);
        if (lifecycle is null)
        {
            return new Failure.NotFound("customer");
        }

        if (!precondition.Allows(lifecycle.Version))
        {
            return new Failure.Stale(lifecycle.Version);
        }

        var stages = await StageCatalog.LoadAsync(db, cancellationToken);
        var moved = await StageMoves.MoveAsync(db, stages, lifecycle, new StageMove(id, request.StageId!.Value, reason, trigger, Override: request.Override == true), cancellationToken);
        if (moved.Failure is { } failure)
        {
            return failure;
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var response = await GetCustomerLifecycle.ResponseAsync(db, stages, lifecycle, cancellationToken);
        return Result.Ok(new StageMoveResponse(moved.Value, response, moved.Value == StageMoveOutcome.Pending ? response.PendingRequest : null), lifecycle.Version);
    }
}
