using Aida.Features.Interactions.Notifications;

namespace Aida.Features.Leads.Notices;

/// <summary>
/// Tells a rep a lead was given to them (issue 19 item 5: "lead assigned"), by hand or by a routing rule, in the
/// transaction that assigns it. Nobody is told of what they did themselves. Imports assign in bulk without
/// these events and tell nobody lead by lead (the import's report says who got what).
/// </summary>
public sealed class LeadAssignedNotice : Platform.Events.IEventReaction
{
    public bool ReactsTo(string type) => type is "lead.captured" or "lead.updated";

    public async Task ReactAsync(AidaDb db, Platform.Events.PendingEvent pending, CancellationToken cancellationToken)
    {
        const string prefix = "leads/";
        if (!pending.Subject.StartsWith(prefix, StringComparison.Ordinal) || !Guid.TryParse(pending.Subject.AsSpan(prefix.Length), out var id))
        {
            return;
        }

        var entry = db.ChangeTracker.Entries<Lead>().FirstOrDefault(e => e.Entity.Id == id);
        if (entry?.Entity.AssignedTo is not { } assignee || assignee == db.ActorId)
        {
            return;
        }

        var assigned = entry.State switch
        {
            EntityState.Added => true,
            EntityState.Modified => !Equals(entry.Property(l => l.AssignedTo).OriginalValue, assignee),
            _ => false,
        };
        if (assigned)
        {
            await Notifier.NotifyAsync(db, new Notification
            {
                UserId = assignee,
                Kind = NotificationKind.LeadAssigned,
                Title = Notification.FitTitle($"Lead assigned to you: {entry.Entity.DisplayName}"),
                Link = $"/leads/{id}",
                CreatedAt = db.Clock.UtcNow(),
            }, cancellationToken);
        }
    }
}
