namespace Aida.Features.Lifecycle;

/// <summary>
/// <c>POST /api/v1/lifecycle/approvals/{id}/approve</c> and <c>…/reject</c> (lifecycle.approve): a manager
/// decides a stage change that waits for approval. Approving applies it as its requester asked — unless
/// the customer has moved since, which answers 409 and leaves the request for rejection.
/// </summary>
public static class DecideStageChange
{
    public sealed record Request(string? Note);

    public static async Task<Results<Ok<StageChangeRequestResponse>, ValidationProblem, ProblemHttpResult>> Approve(
        Guid id, [FromBody] Request? request, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(id, approve: true, request?.Note, db, cancellationToken)).ToOk(response);

    public static async Task<Results<Ok<StageChangeRequestResponse>, ValidationProblem, ProblemHttpResult>> Reject(
        Guid id, [FromBody] Request? request, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(id, approve: false, request?.Note, db, cancellationToken)).ToOk(response);

    public static async Task<Result<StageChangeRequestResponse>> RunAsync(Guid id, bool approve, string? note, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var decisionNote = errors.OptionalText("note", note, StageChangeRequest.NoteMaxLength);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var request = await db.Set<StageChangeRequest>().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (request is null)
        {
            return new Failure.NotFound("stage change request");
        }

        if (request.Status != StageChangeRequestStatus.Pending)
        {
            return new Failure.Conflict("id", $"The request was already {request.Status.ToString().ToLowerInvariant()}.");
        }

        var stages = await StageCatalog.LoadAsync(db, cancellationToken);
        if (approve)
        {
            var lifecycle = await db.Set<CustomerLifecycle>().FirstAsync(l => l.Id == request.CustomerId, cancellationToken);
            if (lifecycle.CurrentStageId != request.FromStageId)
            {
                return new Failure.Conflict("id",
                    $"The customer has moved to {stages[lifecycle.CurrentStageId].Name} since this was asked; reject it, and ask again if the move is still wanted.");
            }

            if (stages.Live(request.ToStageId) is not { IsActive: true } to)
            {
                return new Failure.Conflict("id", "The stage asked for is no longer active; reject the request.");
            }

            Decide(db, stages, request, StageChangeRequestStatus.Approved, decisionNote);
            var move = new StageMove(request.CustomerId, to.Id, request.Reason, request.Trigger);
            StageMoves.Apply(db, stages, lifecycle, stages[request.FromStageId], to, move, approvedBy: db.Operation.ActorId, isOverride: false, requestedBy: request.RequestedBy);
        }
        else
        {
            Decide(db, stages, request, StageChangeRequestStatus.Rejected, decisionNote);
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Result.Ok(request.ToResponse(stages), request.Version);
    }

    /// <summary>The decision, announced before what it causes (the approved move's own events).</summary>
    private static void Decide(AidaDb db, StageCatalog stages, StageChangeRequest request, StageChangeRequestStatus status, string? note)
    {
        request.Status = status;
        request.DecidedBy = db.Operation.ActorId;
        request.DecidedAt = db.Clock.UtcNow();
        request.DecisionNote = note;
        db.Publish(status == StageChangeRequestStatus.Approved ? "customer.stage_change_approved" : "customer.stage_change_rejected",
            LifecycleMapping.Subject(request.CustomerId), () => new { request = request.ToResponse(stages) });
    }
}
