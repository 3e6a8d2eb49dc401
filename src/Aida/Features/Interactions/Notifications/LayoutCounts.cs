namespace Aida.Features.Interactions.Notifications;

/// <summary>The layout's unread badge: the signed-in user's unread notifications, counted up to 100.</summary>
public sealed class LayoutCounts(AidaDb db) : ILayoutCounts
{
    public Task<int> UnreadNotificationsAsync(CancellationToken cancellationToken) => ListNotifications.UnreadCountAsync(db, cancellationToken);
}
