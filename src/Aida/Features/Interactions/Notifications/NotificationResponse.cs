namespace Aida.Features.Interactions.Notifications;

public sealed record NotificationResponse(Guid Id, NotificationKind Kind, string Title, string? Link, Guid? ActivityId, DateTime CreatedAt, DateTime? ReadAt);

public sealed record NotificationList(IReadOnlyList<NotificationResponse> Items, int UnreadCount);
