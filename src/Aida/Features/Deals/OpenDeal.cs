namespace Aida.Features.Deals;

/// <summary>
/// Adds a new deal to the unit of work: into the pipeline's first open stage unless a stage was chosen,
/// with its first stage-history row and a <c>deal.created</c> event. Used by deal creation and by lead
/// conversion, so both open deals the same way. The caller has validated the fields.
/// </summary>
public static class OpenDeal
{
    public static async Task AddAsync(AidaDb db, Opportunity deal, CancellationToken cancellationToken)
    {
        if (deal.PipelineId == Guid.Empty)
        {
            deal.PipelineId = await db.Set<Pipeline>().Where(p => p.IsDefault).Select(p => p.Id).SingleAsync(cancellationToken);
        }

        var stage = deal.StageId == Guid.Empty
            ? await db.Set<PipelineStage>().Where(s => s.PipelineId == deal.PipelineId && s.Kind == StageKind.Open)
                .OrderBy(s => s.Position).FirstAsync(cancellationToken)
            : await db.Set<PipelineStage>().SingleAsync(s => s.Id == deal.StageId, cancellationToken);
        var now = db.Clock.UtcNow();
        deal.StageId = stage.Id;
        deal.Status = stage.Kind switch { StageKind.Won => DealStatus.Won, StageKind.Lost => DealStatus.Lost, _ => DealStatus.Open };
        deal.ClosedAt = deal.Status == DealStatus.Open ? null : now;
        deal.StageEnteredAt = now;
        deal.LastActivityAt = now;
        db.Add(deal);
        db.Add(new OpportunityStageHistory { OpportunityId = deal.Id, StageId = stage.Id, EnteredAt = now, MovedBy = db.Operation.ActorId });
        db.Publish("deal.created", Subject(deal), () => new { dealId = deal.Id, deal.Title, deal.Value, deal.Currency, stage = stage.Code, deal.LeadId });
    }

    /// <summary>Deals belong to their customer, so their events are visible to whoever reaches it.</summary>
    public static string Subject(Opportunity deal) => $"customers/{deal.CustomerId}/deals/{deal.Id}";
}
