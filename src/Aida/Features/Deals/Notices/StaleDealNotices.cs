using Aida.Features.Interactions.Notifications;
using Aida.Platform.Jobs;
using Microsoft.Extensions.Options;

namespace Aida.Features.Deals.Notices;

/// <summary>
/// Tells a deal's owner when an open deal has gone stale — no change, move or logged interaction for
/// <see cref="DealOptions.StaleAfterDays"/> days (issue 19 item 5) — once per quiet spell: the deal remembers when
/// its owner was told, in the transaction that writes the notification, and is told again only after new
/// activity and another quiet spell.
/// </summary>
public sealed class StaleDealNotices(IServiceScopeFactory scopes, TimeProvider clock, IOptions<DealOptions> options) : IScheduledJob
{
    private const int Batch = 500;

    public string Name => "deals.stale";

    public string Description => "Tells each deal's owner when an open deal has had no activity for the stale period.";

    public TimeSpan Interval => TimeSpan.FromMinutes(15);

    public async Task<JobOutcome> RunAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<OperationContext>().BecomeSystem();
        var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
        var now = clock.UtcNow();
        var quietSince = now.AddDays(-options.Value.StaleAfterDays);

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        await db.LockAsync(LockName.StaleDeals, cancellationToken);
        var stale = await db.Set<Opportunity>().AsNoTracking()
            .Where(o => o.Status == DealStatus.Open && o.LastActivityAt < quietSince && o.OwnerId != null
                && (o.StaleNotifiedAt == null || o.StaleNotifiedAt < o.LastActivityAt))
            .OrderBy(o => o.LastActivityAt).Take(Batch)
            .Select(o => new { o.Id, o.OwnerId, o.Title, o.LastActivityAt })
            .ToListAsync(cancellationToken);
        if (stale.Count > 0)
        {
            var ids = stale.Select(o => o.Id).ToList();
            // Bookkeeping, not a change to the deal: no version bump and no audit entry.
            await db.Set<Opportunity>().Where(o => ids.Contains(o.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.StaleNotifiedAt, now), cancellationToken);
        }

        var notices = new List<Notification>();
        foreach (var deal in stale)
        {
            var days = (int)(now - deal.LastActivityAt).TotalDays;
            notices.Add(new Notification
            {
                UserId = deal.OwnerId!.Value,
                Kind = NotificationKind.DealStale,
                Title = Notification.FitTitle($"Deal gone stale, no activity for {days} days: {deal.Title}"),
                Link = $"/deals/{deal.Id}",
                CreatedAt = now,
            });
        }

        await Notifier.NotifyAsync(db, notices, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new JobOutcome(stale.Count, MoreDue: stale.Count == Batch);
    }
}
