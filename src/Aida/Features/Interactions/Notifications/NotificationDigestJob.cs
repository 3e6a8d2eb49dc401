using System.Globalization;
using System.Text;
using Aida.Features.Interactions.Email;
using Aida.Platform.Jobs;
using Microsoft.Extensions.Options;

namespace Aida.Features.Interactions.Notifications;

/// <summary>
/// The daily digest (issue 19 item 5): once a day, from <see cref="NotificationOptions.DigestHour"/> in the user's
/// own time zone, one email to each user with the digest on listing their notifications still unread since their
/// last digest; nothing unread, no email. The last digest is recorded with a conditional update in the transaction
/// that queues the email, so a user gets one a day however many nodes run the job and however often they restart.
/// </summary>
public sealed class NotificationDigestJob(IServiceScopeFactory scopes, JobTriggers triggers, IOptions<NotificationOptions> options) : IScheduledJob
{
    public const string JobName = "notifications.digest";

    /// <summary>At most this many notifications are listed in one digest; the rest are counted.</summary>
    public const int ListedMax = 50;

    public string Name => JobName;

    public string Description => "Emails each user who asked for it a daily digest of their unread notifications.";

    public TimeSpan Interval => options.Value.DigestInterval;

    public async Task<JobOutcome> RunAsync(CancellationToken cancellationToken)
    {
        List<(Guid DigestId, Guid UserId, DateTime? LastSentAt, string TimeZone)> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = System(scope);
            var now = db.Clock.UtcNow();
            var candidates = await db.Set<NotificationDigest>().IgnoreQueryFilters().AsNoTracking()
                .Where(d => d.Enabled)
                .Join(db.Set<User>().IgnoreQueryFilters().Where(u => u.IsActive), d => d.UserId, u => u.Id,
                    (d, u) => new { d.Id, d.UserId, d.LastSentAt, u.TimeZone })
                .ToListAsync(cancellationToken);
            due = candidates.Where(c => IsDue(now, c.LastSentAt, c.TimeZone)).Select(c => (c.Id, c.UserId, c.LastSentAt, c.TimeZone)).ToList();
        }

        var queued = 0;
        foreach (var (digestId, userId, lastSentAt, _) in due)
        {
            if (await DigestOneAsync(digestId, userId, lastSentAt, cancellationToken))
            {
                queued++;
            }
        }

        if (queued > 0)
        {
            triggers.RunSoon(EmailSendJob.JobName);
        }

        return new JobOutcome(queued);
    }

    /// <summary>Whether the user's digest hour has come today, in their time zone, and today's digest has not gone yet.</summary>
    private bool IsDue(DateTime now, DateTime? lastSentAt, string timeZone)
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var found) ? found : TimeZoneInfo.Utc;
        var localNow = TimeZoneInfo.ConvertTimeFromUtc(now, zone);
        if (localNow.Hour < options.Value.DigestHour)
        {
            return false;
        }

        return lastSentAt is not { } last || TimeZoneInfo.ConvertTimeFromUtc(last, zone).Date < localNow.Date;
    }

    private async Task<bool> DigestOneAsync(Guid digestId, Guid userId, DateTime? lastSentAt, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = System(scope);
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var now = db.Clock.UtcNow();
        // Only the run that moves the last digest on from what it read queues one: another node's run, or this
        // one after a restart, finds the row moved and stops. Bookkeeping, not a change anyone made: no audit entry.
        var claimed = await db.Set<NotificationDigest>().IgnoreQueryFilters()
            .Where(d => d.Id == digestId && d.Enabled && d.LastSentAt == lastSentAt)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LastSentAt, now), cancellationToken);
        if (claimed == 0)
        {
            return false;
        }

        var unread = db.Set<Notification>().IgnoreQueryFilters().AsNoTracking()
            .Where(n => n.UserId == userId && n.ReadAt == null && n.CreatedAt <= now);
        if (lastSentAt is { } since)
        {
            unread = unread.Where(n => n.CreatedAt > since);
        }

        var count = await unread.CountAsync(cancellationToken);
        var address = await db.Set<User>().IgnoreQueryFilters().Where(u => u.Id == userId).Select(u => u.Email).FirstAsync(cancellationToken);
        if (count > 0)
        {
            var listed = await unread.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(ListedMax)
                .Select(n => new { n.Title, n.Link }).ToListAsync(cancellationToken);
            var body = new StringBuilder();
            body.Append(CultureInfo.InvariantCulture, $"You have {count} unread notification{(count == 1 ? "" : "s")} in Aida{(lastSentAt is null ? "" : " since your last digest")}:\n\n");
            foreach (var item in listed)
            {
                body.Append("- ").Append(item.Title).Append('\n');
                if (item.Link is not null)
                {
                    body.Append("  ").Append(NotificationMailer.LinkPlaceholder).Append(item.Link).Append('\n');
                }
            }

            if (count > listed.Count)
            {
                body.Append(CultureInfo.InvariantCulture, $"\n…and {count - listed.Count} more.\n");
            }

            body.Append(CultureInfo.InvariantCulture, $"\nAll of them: {NotificationMailer.LinkPlaceholder}/notifications\n");
            body.Append(CultureInfo.InvariantCulture, $"Turn this digest off on your profile: {NotificationMailer.LinkPlaceholder}/account/profile\n");
            db.Add(NotificationMailer.Compose(db, userId, address,
                $"Your Aida digest: {count} unread notification{(count == 1 ? "" : "s")}", body.ToString()));
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return count > 0;
    }

    private static AidaDb System(AsyncServiceScope scope)
    {
        scope.ServiceProvider.GetRequiredService<OperationContext>().BecomeSystem();
        return scope.ServiceProvider.GetRequiredService<AidaDb>();
    }
}
