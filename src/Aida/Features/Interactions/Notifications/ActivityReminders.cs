using Aida.Features.Interactions.Activities;
using Aida.Platform.Jobs;
using Microsoft.Extensions.Options;

namespace Aida.Features.Interactions.Notifications;

public sealed class ReminderOptions
{
    /// <summary>How often due reminders are looked for; a reminder fires at most this late.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Turns activity reminders that have come due into in-app notifications for the assignee (Activity AC-3).
/// Each reminder fires once: it is marked sent in the transaction that writes its notification. Several
/// nodes may run this; on PostgreSQL they take turns under an advisory lock, so none notifies twice.
/// </summary>
public sealed class ActivityReminders(IServiceScopeFactory scopes, TimeProvider clock, IOptions<ReminderOptions> options)
    : IScheduledJob
{
    private const int Batch = 500;

    public string Name => "activities.reminders";

    public string Description => "Turns activity reminders that have come due into notifications for the assignee.";

    public TimeSpan Interval => options.Value.Interval;

    /// <summary>One batch a run: a backlog (the server was down over many reminders) is worked off in batches right away.</summary>
    public async Task<JobOutcome> RunAsync(CancellationToken cancellationToken)
    {
        var sent = await RunOnceAsync(cancellationToken);
        return new JobOutcome(sent, MoreDue: sent == Batch);
    }

    /// <summary>Sends the reminders due now; returns how many.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<OperationContext>().BecomeSystem();
        var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
        var now = clock.UtcNow();

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        await db.LockAsync(LockName.ActivityReminders, cancellationToken);
        var due = await db.Set<Activity>().AsNoTracking()
            .Where(a => a.ReminderSentAt == null && a.ReminderAt != null && a.ReminderAt <= now
                && (a.Status == ActivityStatus.Pending || a.Status == ActivityStatus.InProgress))
            .OrderBy(a => a.ReminderAt).Take(Batch)
            .Select(a => new { a.Id, a.AssignedTo, a.Subject, a.DueDate })
            .ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return 0;
        }

        var ids = due.Select(a => a.Id).ToList();
        // Not a change anyone made: no version bump (an open edit form stays valid) and no audit entry.
        await db.Set<Activity>().Where(a => ids.Contains(a.Id)).ExecuteUpdateAsync(s => s.SetProperty(a => a.ReminderSentAt, now), cancellationToken);
        await Notifier.NotifyAsync(db, due.Select(activity => new Notification
            {
                UserId = activity.AssignedTo,
                Kind = NotificationKind.ActivityReminder,
                Title = Notification.FitTitle("Reminder: " + activity.Subject),
                Link = $"/activities/{activity.Id}",
                ActivityId = activity.Id,
                CreatedAt = now,
            }).ToList(), cancellationToken);

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return due.Count;
    }

}
