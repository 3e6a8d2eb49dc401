using Aida.Features.Interactions;

namespace Aida.Features.Deals;

/// <summary>Keeps a deal's last activity current when work on it happens elsewhere (an interaction logged against it).</summary>
public static class DealActivity
{
    /// <summary>
    /// An interaction about a deal (relatedType opportunity) is activity on it. Written in the caller's
    /// transaction, and without touching the deal's version: logging a call must not make the board's
    /// copy of the card stale. Only deals the actor can see, of the interaction's customer, and never backwards in time.
    /// </summary>
    public static async Task TouchAsync(AidaDb db, Interaction interaction, CancellationToken cancellationToken)
    {
        if (interaction.RelatedType != RelatedRecordType.Opportunity || interaction.RelatedId is not { } dealId)
        {
            return;
        }

        var at = interaction.OccurredAt;
        var customerId = interaction.CustomerId;
        await db.Set<Opportunity>().Where(o => o.Id == dealId && o.CustomerId == customerId && o.LastActivityAt < at)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.LastActivityAt, at), cancellationToken);
    }
}
