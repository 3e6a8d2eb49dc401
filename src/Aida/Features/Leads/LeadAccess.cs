namespace Aida.Features.Leads;

/// <summary>
/// Record-level access for leads, the same reach as customers (<see cref="Platform.Auth.Access"/>) with the
/// assignee as owner: everything; the unassigned pool (managers); or leads assigned to the actor, to a
/// teammate, or to a member of a team the actor manages. A lead out of reach answers 404 everywhere.
/// </summary>
public sealed class LeadAccess : IRecordFilters
{
    public void Apply(ModelBuilder modelBuilder, AidaDb db)
    {
        modelBuilder.Entity<Lead>().HasQueryFilter(l => l.DeletedAt == null
            && (db.ReachesAllCustomers
                || (l.AssignedTo == null
                    ? db.ReachesUnassigned
                    : l.AssignedTo == db.ActorId
                      || db.Set<User>().Any(u => u.Id == l.AssignedTo
                          && ((db.ActorTeamId != null && u.TeamId == db.ActorTeamId)
                              || (db.ActorManagesTeams && db.Set<Team>().Any(t => t.Id == u.TeamId && t.ManagerId == db.ActorId)))))));
        modelBuilder.Entity<LeadInteraction>().HasQueryFilter(i => db.Set<Lead>().Any(l => l.Id == i.LeadId));
    }

    /// <summary>Every live lead, whoever can see it: for dedupe, which must find a match outside the actor's reach too.</summary>
    public static IQueryable<Lead> All(AidaDb db) => db.Set<Lead>().IgnoreQueryFilters().Where(l => l.DeletedAt == null);
}
