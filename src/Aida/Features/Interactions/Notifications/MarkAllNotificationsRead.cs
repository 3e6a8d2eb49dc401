namespace Aida.Features.Interactions.Notifications;

public static class MarkAllNotificationsRead
{
    public static async Task<NoContent> Handle(AidaDb db, CancellationToken cancellationToken)
    {
        await RunAsync(db, cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>How many notifications this marked read; the query filter keeps it to the actor's own.</summary>
    public static async Task<Result<int>> RunAsync(AidaDb db, CancellationToken cancellationToken)
    {
        var now = db.Clock.UtcNow();
        await using var write = await db.BeginWriteAsync(cancellationToken);
        var marked = await db.Set<Notification>().Where(n => n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), cancellationToken);
        if (marked > 0)
        {
            Notification.PublishRead(db, null, marked);
            await db.SaveChangesAsync(cancellationToken);
        }

        await write.CommitAsync(cancellationToken);
        return Result.Ok(marked);
    }
}
