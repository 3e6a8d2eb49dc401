namespace Aida.Features.Interactions.Notifications;

/// <summary>The actor's own notifications (the query filter admits no one else's), newest first, with the unread count the layout shows.</summary>
public static class ListNotifications
{
    public const int UnreadCountCap = 99;

    public static async Task<Results<Ok<NotificationList>, ValidationProblem>> Handle(bool? unread, int? limit, AidaDb db, CancellationToken cancellationToken) =>
        (await RunAsync(unread, limit, db, cancellationToken)).ToOkOrInvalid();

    public static async Task<Result<NotificationList>> RunAsync(bool? unread, int? limit, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var take = Paging.Limit(limit, errors);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        var query = db.Set<Notification>().AsNoTracking();
        if (unread == true)
        {
            query = query.Where(n => n.ReadAt == null);
        }

        var items = await query.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(take)
            .Select(n => new NotificationResponse(n.Id, n.Kind, n.Title, n.Link, n.ActivityId, n.CreatedAt, n.ReadAt))
            .ToListAsync(cancellationToken);
        return Result.Ok(new NotificationList(items, await UnreadCountAsync(db, cancellationToken)));
    }

    /// <summary>Counted up to <see cref="UnreadCountCap"/> + 1 ("99+"): the badge never needs more, and the count stays an index probe.</summary>
    public static Task<int> UnreadCountAsync(AidaDb db, CancellationToken cancellationToken) =>
        db.Set<Notification>().Where(n => n.ReadAt == null).Take(UnreadCountCap + 1).CountAsync(cancellationToken);
}
