namespace Aida.Platform.Events.Webhooks;

/// <summary>A subscription's queue: places in it are handed out by one atomic increment in the caller's transaction.</summary>
public static class WebhookQueue
{
    /// <summary>
    /// Reserves <paramref name="count"/> consecutive ordinals and returns the first. The UPDATE locks the
    /// subscription's row until the transaction ends (and SQLite has one writer), so concurrent writers of one
    /// queue — the deliverer, a replay, a test-send — never get the same places.
    /// </summary>
    public static async Task<long> ReserveAsync(AidaDb db, Guid subscriptionId, int count, CancellationToken cancellationToken)
    {
        await db.Set<WebhookSubscription>().IgnoreQueryFilters().Where(s => s.Id == subscriptionId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.NextOrdinal, x => x.NextOrdinal + count), cancellationToken);
        var next = await db.Set<WebhookSubscription>().IgnoreQueryFilters().Where(s => s.Id == subscriptionId)
            .Select(s => s.NextOrdinal).SingleAsync(cancellationToken);
        return next - count;
    }
}
