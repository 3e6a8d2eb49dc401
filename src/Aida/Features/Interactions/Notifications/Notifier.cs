namespace Aida.Features.Interactions.Notifications;

/// <summary>
/// The one place a notification is given to its user (issue 19 item 5): each feature builds the
/// <see cref="Notification"/> and hands it here, in the transaction that caused it. The user's preference for
/// the kind decides the channels: in the app (the row the bell and the notifications page show; off means no
/// row, so the user never sees it there) and by email (a <see cref="NotificationEmail"/> to the user's own
/// address, queued in the same transaction, so a rolled-back change sends nothing). A deactivated user gets
/// no email. The "email.send" job picks queued messages up on its next run (Email:Interval).
/// </summary>
public static class Notifier
{
    public static Task NotifyAsync(AidaDb db, Notification notification, CancellationToken cancellationToken) =>
        NotifyAsync(db, [notification], cancellationToken);

    /// <summary>A batch (a job's run): the recipients' preferences and addresses are read in one query each.</summary>
    public static async Task NotifyAsync(AidaDb db, IReadOnlyCollection<Notification> notifications, CancellationToken cancellationToken)
    {
        if (notifications.Count == 0)
        {
            return;
        }

        var userIds = notifications.Select(n => n.UserId).Distinct().ToList();
        // The actor is whoever caused the notification (an admin assigning a lead, the system): the recipient's
        // choices and address are read past the filters that show each user only their own.
        var preferences = await db.Set<NotificationPreference>().IgnoreQueryFilters().AsNoTracking()
            .Where(p => userIds.Contains(p.UserId))
            .ToDictionaryAsync(p => (p.UserId, p.Kind), p => (p.InApp, p.Email), cancellationToken);
        Dictionary<Guid, string>? addresses = null;
        foreach (var notification in notifications)
        {
            var (inApp, email) = preferences.GetValueOrDefault((notification.UserId, notification.Kind), NotificationPreference.Defaults);
            if (inApp)
            {
                Notification.Send(db, notification); // Stored, and notification.created for the live badge.
            }

            if (!email)
            {
                continue;
            }

            addresses ??= await db.Set<User>().IgnoreQueryFilters().AsNoTracking()
                .Where(u => userIds.Contains(u.Id) && u.IsActive)
                .ToDictionaryAsync(u => u.Id, u => u.Email, cancellationToken);
            if (addresses.TryGetValue(notification.UserId, out var address))
            {
                db.Add(NotificationMailer.Compose(db, notification.UserId, address, notification.Title, EmailBody(notification)));
            }
        }
    }

    private static string EmailBody(Notification notification) =>
        notification.Link is null
            ? notification.Title + "\n"
            : $"{notification.Title}\n\nOpen it in Aida: {NotificationMailer.LinkPlaceholder}{notification.Link}\n";
}
