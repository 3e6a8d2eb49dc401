namespace Aida.Features.Interactions.Notifications;

public static class MarkNotificationRead
{
    public static async Task<Results<NoContent, ProblemHttpResult>> Handle(Guid id, AidaDb db, CancellationToken cancellationToken) =>
        (await RunAsync(id, db, cancellationToken)).Failure is { } failure ? failure.ToProblem() : TypedResults.NoContent();

    /// <summary>How many notifications this marked read: 0 when it already was.</summary>
    public static async Task<Result<int>> RunAsync(Guid id, AidaDb db, CancellationToken cancellationToken)
    {
        var now = db.Clock.UtcNow();
        var found = await db.Set<Notification>().Where(n => n.Id == id).AnyAsync(cancellationToken);
        if (!found)
        {
            return new Failure.NotFound("notification");
        }

        // The change and its event commit together: open pages of the user update their badge.
        await using var write = await db.BeginWriteAsync(cancellationToken);
        var marked = await db.Set<Notification>().Where(n => n.Id == id && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), cancellationToken);
        if (marked > 0)
        {
            Notification.PublishRead(db, id, marked);
            await db.SaveChangesAsync(cancellationToken);
        }

        await write.CommitAsync(cancellationToken);
        return Result.Ok(marked);
    }
}
