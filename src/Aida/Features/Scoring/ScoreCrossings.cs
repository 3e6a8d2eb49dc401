using Aida.Features.Customers;
using Aida.Features.Interactions.Notifications;
using Aida.Features.Lifecycle;

namespace Aida.Features.Scoring;

/// <summary>
/// WF-LC-002 step 5 and issue 16 item 3, when a customer's health moves across a threshold: a
/// <c>score.threshold_crossed</c> event for every threshold crossed, either way; in-app notifications
/// when it falls below the alert threshold (to the owner), below the escalation threshold (to the
/// owner's team manager: "escalate to leadership") or rises above the upsell threshold (to the owner);
/// and the stage move: a customer in a customer stage whose health falls below the at-risk threshold
/// moves to At Risk (trigger <c>rule</c>, "Health below N"). Recovery moves them back to Customer
/// ("Health recovered") only when that rule put them in At Risk: a person who moved a customer to At Risk
/// for a reason of their own is not overruled by a score.
/// </summary>
public static class ScoreCrossings
{
    public const string AtRiskRulePrefix = "Health below ";
    public const string RecoveredRule = "Health recovered";

    /// <summary>Records what crossing from <paramref name="old"/> to <paramref name="new"/> means; returns how many thresholds were crossed.</summary>
    public static async Task<int> ApplyAsync(AidaDb db, ScoredCustomer customer, int old, int @new, ScoringModel model, CancellationToken cancellationToken)
    {
        var crossed = 0;
        var thresholds = new (string Name, int Value, bool Below)[]
        {
            ("alert", model.AlertBelow, true),
            ("escalate", model.EscalateBelow, true),
            ("upsell", model.UpsellAbove, false),
        };
        foreach (var (name, threshold, below) in thresholds)
        {
            // "Below 40" is crossed going down from 40 or more to under 40; "above 80" going up from 80 or less to over 80.
            var down = below ? old >= threshold && @new < threshold : old > threshold && @new <= threshold;
            var up = below ? old < threshold && @new >= threshold : old <= threshold && @new > threshold;
            if (!down && !up)
            {
                continue;
            }

            crossed++;
            var direction = down ? "down" : "up";
            db.Publish("score.threshold_crossed", Subject(customer.Id), () => new
            {
                customerId = customer.Id,
                scoreType = ScoreFormulas.Name(ScoreType.Health),
                oldValue = old,
                newValue = @new,
                threshold,
                thresholdName = name,
                direction,
            });
            await NotifyAsync(db, customer, name, down, @new, cancellationToken);
        }

        await MoveStageAsync(db, customer.Id, old, @new, model.AtRiskBelow, cancellationToken);
        return crossed;
    }

    public static string Subject(Guid customerId) => $"customers/{customerId}/scores/health";

    private static async Task NotifyAsync(AidaDb db, ScoredCustomer customer, string threshold, bool down, int value, CancellationToken cancellationToken)
    {
        var (kind, toManager, title) = (threshold, down) switch
        {
            ("alert", true) => (NotificationKind.HealthAlert, false, "Health fell to {0}: {1}"),
            ("escalate", true) => (NotificationKind.HealthEscalation, true, "Escalated: health fell to {0}: {1}"),
            ("upsell", false) => (NotificationKind.UpsellOpportunity, false, "Upsell opportunity, health {0}: {1}"),
            _ => ((NotificationKind?)null, false, ""),
        };
        // An unassigned customer has no owner to tell; the alert is still in the event stream and on the dashboard.
        if (kind is null || customer.OwnerId is not { } ownerId)
        {
            return;
        }

        Guid? recipient = ownerId;
        if (toManager)
        {
            recipient = await db.Set<User>().IgnoreQueryFilters().Where(u => u.Id == ownerId && u.TeamId != null)
                .Select(u => db.Set<Team>().IgnoreQueryFilters().Where(t => t.Id == u.TeamId).Select(t => t.ManagerId).FirstOrDefault())
                .FirstOrDefaultAsync(cancellationToken);
        }

        if (recipient is not { } userId)
        {
            return;
        }

        var name = await CustomerAccess.All(db).Where(c => c.Id == customer.Id).Select(c => c.DisplayName).FirstAsync(cancellationToken);
        var text = string.Format(CultureInfo.InvariantCulture, title, value, name);
        await Notifier.NotifyAsync(db, new Notification
        {
            UserId = userId,
            Kind = kind.Value,
            Title = Notification.FitTitle(text),
            Link = $"/customers/{customer.Id}?tab=scores",
            CreatedAt = db.Clock.UtcNow(),
        }, cancellationToken);
    }

    private static async Task MoveStageAsync(AidaDb db, Guid customerId, int old, int @new, int atRiskBelow, CancellationToken cancellationToken)
    {
        var fell = old >= atRiskBelow && @new < atRiskBelow;
        var recovered = old < atRiskBelow && @new >= atRiskBelow;
        if (!fell && !recovered)
        {
            return;
        }

        var lifecycle = await db.Set<CustomerLifecycle>().IgnoreQueryFilters().FirstOrDefaultAsync(l => l.Id == customerId, cancellationToken);
        if (lifecycle is null)
        {
            return;
        }

        var stages = await StageCatalog.LoadAsync(db, cancellationToken);
        var current = stages[lifecycle.CurrentStageId];
        if (fell && current.Category == StageCategory.Customer && current.Id != LifecycleStage.AtRiskId
            && stages.Live(LifecycleStage.AtRiskId) is { IsActive: true } atRisk)
        {
            var rule = AtRiskRulePrefix + atRiskBelow.ToString(CultureInfo.InvariantCulture);
            StageMoves.Apply(db, stages, lifecycle, current, atRisk, new StageMove(customerId, atRisk.Id, null, StageChangeTrigger.Rule, rule),
                approvedBy: null, isOverride: false);
        }
        else if (recovered && current.Id == LifecycleStage.AtRiskId && stages.Live(LifecycleStage.CustomerId) is { IsActive: true } customerStage)
        {
            var cameBy = await db.Set<LifecycleHistory>().AsNoTracking().IgnoreQueryFilters()
                .Where(h => h.CustomerId == customerId).OrderByDescending(h => h.ChangedAt).ThenByDescending(h => h.Id)
                .Select(h => new { h.ToStageId, h.Trigger, h.RuleName }).FirstOrDefaultAsync(cancellationToken);
            if (cameBy is { Trigger: StageChangeTrigger.Rule } && cameBy.ToStageId == LifecycleStage.AtRiskId
                && cameBy.RuleName?.StartsWith(AtRiskRulePrefix, StringComparison.Ordinal) == true)
            {
                StageMoves.Apply(db, stages, lifecycle, current, customerStage,
                    new StageMove(customerId, customerStage.Id, null, StageChangeTrigger.Rule, RecoveredRule), approvedBy: null, isOverride: false);
            }
        }
    }
}
