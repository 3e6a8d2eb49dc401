using Aida.Features.Interactions;

namespace Aida.Features.Deals;

/// <summary>Opportunities as the record a note or an interaction is about (<c>relatedType: opportunity</c>), in reach as <see cref="DealAccess"/> decides.</summary>
public sealed class LinkableOpportunities : ILinkableRecords
{
    public string Type => "opportunity";

    public Task<bool> ExistsAsync(AidaDb db, Guid id, CancellationToken cancellationToken) =>
        db.Set<Opportunity>().Where(o => o.Id == id).AnyAsync(cancellationToken);

    public Task InteractionLoggedAsync(AidaDb db, Interaction interaction, CancellationToken cancellationToken) =>
        DealActivity.TouchAsync(db, interaction, cancellationToken);
}
