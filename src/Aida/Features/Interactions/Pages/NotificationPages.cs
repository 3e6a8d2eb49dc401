using Aida.Features.Interactions.Notifications;

namespace Aida.Features.Interactions.Pages;

/// <summary>The notification list: newest first; opening one marks it read and goes where it points.</summary>
public static class NotificationPages
{
    public static async Task<IResult> List(HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        var list = (await ListNotifications.RunAsync(null, Paging.MaxLimit, db, cancellationToken)).Value!;
        return Html.Page<NotificationsPage>(new { Context = UiContext.For(http), List = list });
    }

    public static async Task<IResult> Open(Guid id, HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        var link = await db.Set<Notification>().Where(n => n.Id == id).Select(n => n.Link).FirstOrDefaultAsync(cancellationToken);
        var result = await MarkNotificationRead.RunAsync(id, db, cancellationToken);
        if (result.Failure is Failure.NotFound)
        {
            return Html.NotFound(http, "notification");
        }

        // Only links this server made (paths), never somewhere else.
        return TypedResults.Redirect(link is not null && link.StartsWith('/') && !link.StartsWith("//", StringComparison.Ordinal) ? link : "/notifications");
    }

    public static async Task<IResult> ReadAll(HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        await MarkAllNotificationsRead.RunAsync(db, cancellationToken);
        return Html.Done(http, "/notifications", "All notifications are marked as read.");
    }
}
