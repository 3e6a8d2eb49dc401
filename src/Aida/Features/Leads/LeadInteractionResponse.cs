using Aida.Features.Interactions;

namespace Aida.Features.Leads;

public sealed record LeadInteractionResponse(
    Guid Id, Guid LeadId, InteractionType InteractionType, Direction Direction, string? Subject, string? Description,
    DateTime OccurredAt, InteractionOutcome? Outcome, Guid? CreatedBy, Guid? InteractionId, DateTime CreatedAt, int Version);

public static class LeadInteractionMapping
{
    public static LeadInteractionResponse ToResponse(this LeadInteraction i) => new(
        i.Id, i.LeadId, i.InteractionType, i.Direction, i.Subject, i.Description, i.OccurredAt, i.Outcome, i.CreatedBy, i.InteractionId, i.CreatedAt, i.Version);
}
