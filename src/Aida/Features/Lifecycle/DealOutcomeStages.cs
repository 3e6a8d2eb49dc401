namespace Aida.Features.Lifecycle;

/// <summary>
/// Automatic stage moves from what happens in Deals (issue 16 item 3), in the save that records it: a deal
/// opened for a customer still before Opportunity moves it to Opportunity ("Deal opened" — lead conversion
/// with a deal included); a deal won moves a customer before Customer to Customer ("Deal won") and a churned
/// one to Won Back ("Deal won after churn"). Recorded with trigger <c>rule</c> and the rule's name. Rules
/// record facts, so they move only forward, take no approval, and skip a target stage an administrator
/// deactivated or deleted.
/// </summary>
public sealed class DealOutcomeStages : IEventReaction
{
    public bool ReactsTo(string type) => type is "deal.created" or "deal.converted";

    public async Task ReactAsync(AidaDb db, PendingEvent pending, CancellationToken cancellationToken)
    {
        if (pending.CustomerId is not { } customerId)
        {
            return;
        }

        // The customer's lifecycle whoever acts: the deal's own access rules let the actor open or win it.
        var lifecycle = await db.Set<CustomerLifecycle>().IgnoreQueryFilters().FirstOrDefaultAsync(l => l.Id == customerId, cancellationToken);
        if (lifecycle is null)
        {
            return;
        }

        var stages = await StageCatalog.LoadAsync(db, cancellationToken);
        var current = stages[lifecycle.CurrentStageId];
        var (target, rule) = (pending.Type, current.Category) switch
        {
            ("deal.created", StageCategory.PreCustomer) when current.DisplayOrder < stages[LifecycleStage.OpportunityId].DisplayOrder => (LifecycleStage.OpportunityId, "Deal opened"),
            ("deal.converted", StageCategory.PreCustomer) => (LifecycleStage.CustomerId, "Deal won"),
            ("deal.converted", StageCategory.PostCustomer) => (LifecycleStage.WonBackId, "Deal won after churn"),
            _ => (Guid.Empty, ""),
        };
        if (stages.Live(target) is not { IsActive: true } to)
        {
            return;
        }

        StageMoves.Apply(db, stages, lifecycle, current, to, new StageMove(customerId, to.Id, null, StageChangeTrigger.Rule, rule),
            approvedBy: null, isOverride: false);
    }
}
