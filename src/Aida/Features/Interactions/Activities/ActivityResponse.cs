namespace Aida.Features.Interactions.Activities;

public sealed record ActivityResponse(
    Guid Id,
    Guid? CustomerId,
    Guid? ContactId,
    ActivityType ActivityType,
    string Subject,
    string? Description,
    DateTime DueDate,
    DateTime? ReminderAt,
    ActivityPriority Priority,
    ActivityStatus Status,
    DateTime? CompletedAt,
    bool Overdue,
    Guid AssignedTo,
    Guid CreatedBy,
    Guid? SourceInteractionId,
    Guid? ResultInteractionId,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    int Version);

public static class ActivityMapping
{
    public static ActivityResponse ToResponse(this Activity a, DateTime now) => new(
        a.Id, a.CustomerId, a.ContactId, a.ActivityType, a.Subject, a.Description, a.DueDate, a.ReminderAt, a.Priority,
        a.Status, a.CompletedAt, a.IsOverdue(now), a.AssignedTo, a.CreatedBy, a.SourceInteractionId, a.ResultInteractionId,
        a.CreatedAt, a.UpdatedAt, a.Version);

    public static string Subject(Activity a) => a.CustomerId is { } customerId
        ? $"customers/{customerId}/activities/{a.Id}"
        : $"activities/{a.Id}";

    public static string Location(Guid id) => $"/api/v1/activities/{id}";
}
