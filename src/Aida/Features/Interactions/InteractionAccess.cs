using Aida.Features.Customers;
using Aida.Features.Interactions.Activities;
using Aida.Features.Interactions.Communications;
using Aida.Features.Interactions.Notes;
using Aida.Features.Interactions.Notifications;

namespace Aida.Features.Interactions;

/// <summary>
/// Record-level access for interaction tracking, as global query filters (see <see cref="CustomerAccess"/>):
/// interactions and communications are visible exactly when their customer is; a note also needs its
/// visibility to admit the actor; an activity is visible with its customer, and always to its assignee and
/// author; the unmatched message queue is for those who reach unassigned customers (managers, admins);
/// notifications only to their user. Because these are query filters, the API, the pages, the timeline,
/// search (which tests notes through this filter) and the event feed all agree.
/// </summary>
public sealed class InteractionAccess : IRecordFilters
{
    private const string NoteVisibilityFilter = "noteVisibility";
    private const string NoteEntityType = "note"; // AuditRecorder.EntityTypeName(typeof(Note))

    public void Apply(ModelBuilder modelBuilder, AidaDb db)
    {
        // The customer is looked up even for actors who reach every customer (unlike the customer's own
        // children in CustomerAccess): deleting a customer does not cascade to its interactions, notes and
        // messages, so without the lookup an administrator would still read a deleted customer's history.
        modelBuilder.Entity<Interaction>().HasQueryFilter(i => i.DeletedAt == null
            && db.Set<Customer>().Any(c => c.Id == i.CustomerId));

        // Private: the author alone. Team: the author's team, the manager of that team, the members of a
        // team the author manages, and admins. All: everyone who sees the customer. The author always sees
        // their own note.
        modelBuilder.Entity<Note>().HasQueryFilter(n => n.DeletedAt == null
            && db.Set<Customer>().Any(c => c.Id == n.CustomerId)
            && (n.Visibility == NoteVisibility.All
                || n.CreatedBy == db.ActorId
                || (n.Visibility == NoteVisibility.Team
                    && (db.ActorIsAdmin
                        || db.Set<User>().Any(u => u.Id == n.CreatedBy
                            && ((db.ActorTeamId != null && u.TeamId == db.ActorTeamId)
                                || (db.ActorManagesTeams && db.Set<Team>().Any(t => t.Id == u.TeamId && t.ManagerId == db.ActorId))))
                        || (db.ActorTeamId != null && db.Set<Team>().Any(t => t.Id == db.ActorTeamId && t.ManagerId == n.CreatedBy))))));

        modelBuilder.Entity<Activity>().HasQueryFilter(a => a.DeletedAt == null
            && (a.AssignedTo == db.ActorId
                || a.CreatedBy == db.ActorId
                || db.ReachesAllCustomers
                || (a.CustomerId != null && db.Set<Customer>().Any(c => c.Id == a.CustomerId))));

        modelBuilder.Entity<Communication>().HasQueryFilter(m => m.CustomerId == null
            ? db.ReachesUnassigned
            : db.Set<Customer>().Any(c => c.Id == m.CustomerId));

        modelBuilder.Entity<Notification>().HasQueryFilter(n => n.UserId == db.ActorId);
        // A user's notification choices and emails are their own; the notifier and the jobs read past this.
        modelBuilder.Entity<NotificationPreference>().HasQueryFilter(p => p.UserId == db.ActorId);
        modelBuilder.Entity<NotificationDigest>().HasQueryFilter(d => d.UserId == db.ActorId);
        modelBuilder.Entity<NotificationEmail>().HasQueryFilter(e => e.UserId == db.ActorId);

        // A note's history and events reveal its content: they follow the note's visibility.
        modelBuilder.Entity<AuditEntry>().HasQueryFilter(NoteVisibilityFilter, a => a.EntityType != NoteEntityType
            || db.Set<Note>().Any(n => n.Id == a.EntityId));
        modelBuilder.Entity<OutboxEvent>().HasQueryFilter(NoteVisibilityFilter, e => e.NoteId == null
            || db.Set<Note>().Any(n => n.Id == e.NoteId));
    }
}
