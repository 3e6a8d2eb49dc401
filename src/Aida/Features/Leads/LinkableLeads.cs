using Aida.Features.Interactions;

namespace Aida.Features.Leads;

/// <summary>Leads as the record a note or an interaction is about (<c>relatedType: lead</c>), in reach as <see cref="LeadAccess"/> decides.</summary>
public sealed class LinkableLeads : ILinkableRecords
{
    public string Type => "lead";

    public Task<bool> ExistsAsync(AidaDb db, Guid id, CancellationToken cancellationToken) =>
        db.Set<Lead>().Where(l => l.Id == id).AnyAsync(cancellationToken);

    /// <summary>A lead keeps its own touches (LeadTouches); an interaction linked to it changes nothing on it.</summary>
    public Task InteractionLoggedAsync(AidaDb db, Interaction interaction, CancellationToken cancellationToken) => Task.CompletedTask;
}
