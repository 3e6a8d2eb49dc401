using Aida.Features.Interactions.Notifications;
using Aida.Platform.Jobs;

namespace Aida.Features.Leads.Notices;

/// <summary>
/// Reminds a lead's owner when its scheduled follow-up (<see cref="Lead.NextFollowUpAt"/>) comes due (issue 19
/// item 5; before, the date reminded nobody). Once per scheduled follow-up: the lead remembers which follow-up
/// time it reminded of, in the transaction that writes the notification, so a rescheduled follow-up reminds
/// again and a restart or a second node reminds no one twice. Only open leads with an owner.
/// </summary>
public sealed class LeadFollowUpReminders(IServiceScopeFactory scopes, TimeProvider clock) : IScheduledJob
{
    private const int Batch = 500;

    public string Name => "leads.follow-ups";

    public string Description => "Reminds each lead's owner when the follow-up scheduled on the lead comes due.";

    public TimeSpan Interval => TimeSpan.FromMinutes(1);

    public async Task<JobOutcome> RunAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<OperationContext>().BecomeSystem();
        var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
        var now = clock.UtcNow();

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        await db.LockAsync(LockName.LeadFollowUps, cancellationToken);
        var due = await db.Set<Lead>().AsNoTracking()
            .Where(l => l.NextFollowUpAt != null && l.NextFollowUpAt <= now && l.Status == LeadStatus.Active && l.AssignedTo != null
                && (l.FollowUpRemindedFor == null || l.FollowUpRemindedFor != l.NextFollowUpAt))
            .OrderBy(l => l.NextFollowUpAt).Take(Batch)
            .Select(l => new { l.Id, l.AssignedTo, l.NextFollowUpAt, l.FirstName, l.LastName, l.Email, l.Phone, l.Company })
            .ToListAsync(cancellationToken);
        var notices = new List<Notification>();
        foreach (var lead in due)
        {
            // Not a change anyone made: no version bump (an open edit form stays valid) and no audit entry.
            await db.Set<Lead>().Where(l => l.Id == lead.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.FollowUpRemindedFor, lead.NextFollowUpAt), cancellationToken);
            var name = Lead.DisplayNameOf(lead.FirstName, lead.LastName, lead.Email, lead.Phone, lead.Company);
            notices.Add(new Notification
            {
                UserId = lead.AssignedTo!.Value,
                Kind = NotificationKind.LeadFollowUpDue,
                Title = Notification.FitTitle($"Follow-up due: {name}"),
                Link = $"/leads/{lead.Id}",
                CreatedAt = now,
            });
        }

        await Notifier.NotifyAsync(db, notices, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new JobOutcome(due.Count, MoreDue: due.Count == Batch);
    }
}
