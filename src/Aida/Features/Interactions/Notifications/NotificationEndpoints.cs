using Aida.Platform;
using Aida.Platform.Data;
using Aida.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Aida.Features.Interactions.Notifications;

public sealed record NotificationResponse(Guid Id, NotificationKind Kind, string Title, string? Link, Guid? ActivityId, DateTime CreatedAt, DateTime? ReadAt);

public sealed record NotificationList(IReadOnlyList<NotificationResponse> Items, int UnreadCount);

/// <summary>The actor's own notifications (the query filter admits no one else's), newest first, with the unread count the layout shows.</summary>
public static class Notifications
{
    public const int UnreadCountCap = 99;

    public static async Task<Results<Ok<NotificationList>, ValidationProblem>> List(bool? unread, int? limit, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var take = Paging.Limit(limit, errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var query = db.Set<Notification>().AsNoTracking();
        if (unread == true)
        {
            query = query.Where(n => n.ReadAt == null);
        }

        var items = await query.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(take)
            .Select(n => new NotificationResponse(n.Id, n.Kind, n.Title, n.Link, n.ActivityId, n.CreatedAt, n.ReadAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new NotificationList(items, await UnreadCountAsync(db, cancellationToken)));
    }

    /// <summary>Counted up to <see cref="UnreadCountCap"/> + 1 ("99+"): the badge never needs more, and the count stays an index probe.</summary>
    public static Task<int> UnreadCountAsync(AidaDb db, CancellationToken cancellationToken) =>
        db.Set<Notification>().Where(n => n.ReadAt == null).Take(UnreadCountCap + 1).CountAsync(cancellationToken);

    public static async Task<Results<NoContent, ProblemHttpResult>> MarkRead(Guid id, AidaDb db, CancellationToken cancellationToken)
    {
        var now = db.Clock.UtcNow();
        var found = await db.Set<Notification>().Where(n => n.Id == id).AnyAsync(cancellationToken);
        if (!found)
        {
            return Problems.NotFound("notification");
        }

        await db.Set<Notification>().Where(n => n.Id == id && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<NoContent> MarkAllRead(AidaDb db, CancellationToken cancellationToken)
    {
        var now = db.Clock.UtcNow();
        await db.Set<Notification>().Where(n => n.ReadAt == null).ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), cancellationToken);
        return TypedResults.NoContent();
    }
}
