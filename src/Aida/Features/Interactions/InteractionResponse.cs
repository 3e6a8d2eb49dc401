namespace Aida.Features.Interactions;

public sealed record InteractionResponse(
    Guid Id,
    Guid CustomerId,
    Guid? ContactId,
    InteractionType InteractionType,
    Direction Direction,
    string? Subject,
    string? Description,
    DateTime OccurredAt,
    int? DurationMinutes,
    InteractionOutcome? Outcome,
    Sentiment? Sentiment,
    InteractionSource Source,
    string? ExternalId,
    RelatedRecordType? RelatedType,
    Guid? RelatedId,
    Guid? ActivityId,
    bool Backdated,
    Guid CreatedBy,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    int Version);

public static class InteractionMapping
{
    public static InteractionResponse ToResponse(this Interaction i) => new(
        i.Id, i.CustomerId, i.ContactId, i.InteractionType, i.Direction, i.Subject, i.Description, i.OccurredAt,
        i.DurationMinutes, i.Outcome, i.Sentiment, i.Source, i.ExternalId, i.RelatedType, i.RelatedId, i.ActivityId,
        i.IsBackdated, i.CreatedBy, i.CreatedAt, i.UpdatedAt, i.Version);

    public static string Subject(Interaction i) => $"customers/{i.CustomerId}/interactions/{i.Id}";

    public static string Location(Guid id) => $"/api/v1/interactions/{id}";
}
