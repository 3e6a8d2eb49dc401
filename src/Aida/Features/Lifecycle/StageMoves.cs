namespace Aida.Features.Lifecycle;

/// <summary>One requested move of a customer's stage (WF-LC-001), from a person, an integration or a rule.</summary>
public sealed record StageMove(
    Guid CustomerId,
    Guid ToStageId,
    string? Reason,
    StageChangeTrigger Trigger,
    string? RuleName = null,
    bool Override = false);

/// <summary>How a move ended: applied, waiting for approval, or nothing to do (already there).</summary>
public enum StageMoveOutcome
{
    Moved,
    Pending,
    Unchanged,
}

public sealed record StageMoveResponse(StageMoveOutcome Outcome, CustomerLifecycleResponse Lifecycle, StageChangeRequestResponse? Request);

/// <summary>
/// WF-LC-001, the one way a customer's stage changes: validate the move against the transition rules
/// (an administrator may override with a reason), route it to a manager when its rule requires approval,
/// or apply it — the lifecycle row, an immutable history entry, <c>customer.stage_changed</c>, and
/// <c>customer.retained</c> when the customer becomes a customer (again), and the journey milestone of
/// entering At Risk or Won Back. The caller owns the write
/// transaction and the save.
/// </summary>
public static class StageMoves
{
    public static async Task<Result<StageMoveOutcome>> MoveAsync(
        AidaDb db, StageCatalog stages, CustomerLifecycle lifecycle, StageMove move, CancellationToken cancellationToken)
    {
        if (stages.Live(move.ToStageId) is not { IsActive: true } to)
        {
            return new Failure.Invalid("stageId", "No active stage has this id.");
        }

        if (to.Id == lifecycle.CurrentStageId)
        {
            return Result.Ok(StageMoveOutcome.Unchanged);
        }

        var from = stages[lifecycle.CurrentStageId];
        var rule = stages.Rule(from.Id, to.Id);
        if (rule is null)
        {
            if (!move.Override)
            {
                var allowed = stages.MovesFrom(from.Id).Select(m => m.To.Name).ToList();
                return new Failure.Conflict("stageId",
                    $"Moving from {from.Name} to {to.Name} is not allowed; from {from.Name} a customer may move to "
                    + (allowed.Count == 0 ? "no other stage" : string.Join(", ", allowed))
                    + ". An administrator can override this with a reason.");
            }

            if (!db.ActorIsAdmin)
            {
                return new Failure.Forbidden("override", "Only an administrator can override the transition rules.");
            }

            if (string.IsNullOrWhiteSpace(move.Reason))
            {
                return new Failure.Invalid("reason", "Is required to override the transition rules.");
            }
        }
        else if (rule.RequiresApproval && move.Trigger is StageChangeTrigger.Manual or StageChangeTrigger.Api && !CanApprove(db))
        {
            if (await db.Set<StageChangeRequest>().AnyAsync(r => r.CustomerId == lifecycle.Id && r.Status == StageChangeRequestStatus.Pending, cancellationToken))
            {
                return new Failure.Conflict("stageId", "A stage change for this customer is already waiting for approval.");
            }

            var request = new StageChangeRequest
            {
                CustomerId = lifecycle.Id,
                FromStageId = from.Id,
                ToStageId = to.Id,
                Reason = move.Reason,
                Trigger = move.Trigger,
                Status = StageChangeRequestStatus.Pending,
                RequestedBy = db.Operation.ActorId,
            };
            db.Add(request);
            db.Publish("customer.stage_change_requested", LifecycleMapping.Subject(lifecycle.Id), () => new { request = request.ToResponse(stages) });
            return Result.Ok(StageMoveOutcome.Pending);
        }

        Apply(db, stages, lifecycle, from, to, move, approvedBy: null, isOverride: rule is null);
        return Result.Ok(StageMoveOutcome.Moved);
    }

    /// <summary>Managers and administrators approve moves (<see cref="Permissions.LifecycleApprove"/>); their own moves need no approval.</summary>
    public static bool CanApprove(AidaDb db) => db.Operation.Access.Permissions.Contains(Permissions.LifecycleApprove);

    /// <summary>Makes the move: no checks left, the caller has made them.</summary>
    internal static void Apply(
        AidaDb db, StageCatalog stages, CustomerLifecycle lifecycle, LifecycleStage from, LifecycleStage to, StageMove move,
        Guid? approvedBy, bool isOverride, Guid? requestedBy = null)
    {
        var now = db.Clock.UtcNow();
        lifecycle.PreviousStageId = from.Id;
        lifecycle.CurrentStageId = to.Id;
        lifecycle.EnteredStageAt = now;
        var changedBy = move.Trigger is StageChangeTrigger.Rule or StageChangeTrigger.System ? (Guid?)null : requestedBy ?? db.Operation.ActorId;
        var entry = new LifecycleHistory
        {
            CustomerId = lifecycle.Id,
            FromStageId = from.Id,
            ToStageId = to.Id,
            ChangedAt = now,
            ChangedBy = changedBy,
            ApprovedBy = approvedBy,
            Reason = move.Reason,
            Trigger = move.Trigger,
            RuleName = move.RuleName,
            IsOverride = isOverride,
        };
        db.Add(entry);

        var subject = LifecycleMapping.Subject(lifecycle.Id);
        db.Publish("customer.stage_changed", subject, () => new { customerId = lifecycle.Id, change = entry.ToResponse(stages) });

        // Spec 000's fourth step: a customer is retained when it becomes one — out of the pipeline (Convert)
        // or back from churn — not when it moves between customer stages (At Risk → Customer is recovery).
        if (to.Category == StageCategory.Customer && from.Category != StageCategory.Customer)
        {
            db.Publish("customer.retained", subject, () => new { customerId = lifecycle.Id, stage = to.ToSummary(), from = from.ToSummary(), trigger = move.Trigger });
        }

        // Journey milestones of the stage entered, however the move came about (a person, a rule, an
        // approval): At Risk is the churn signal, Won Back the win back. By id, so a renamed stage still counts.
        var milestone = to.Id == LifecycleStage.AtRiskId ? MilestoneType.ChurnSignal
            : to.Id == LifecycleStage.WonBackId ? MilestoneType.WinBack
            : (MilestoneType?)null;
        if (milestone is { } type)
        {
            Journey.Record(db, lifecycle.Id, type, now, new System.Text.Json.Nodes.JsonObject
            {
                ["historyId"] = entry.Id,
                ["fromStage"] = from.Code,
                ["trigger"] = EnumText<StageChangeTrigger>.ToText(move.Trigger),
                ["ruleName"] = move.RuleName,
            });
        }
    }
}
