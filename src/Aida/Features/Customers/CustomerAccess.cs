using System.Linq.Expressions;
using Aida.Features.Customers.Accounts;
using Aida.Features.Customers.Addresses;
using Aida.Features.Customers.Contacts;
using Aida.Features.Customers.Relationships;

namespace Aida.Features.Customers;

/// <summary>
/// Record-level access for customers and everything that belongs to them, as global query filters:
/// a customer outside the actor's reach (<see cref="Platform.Auth.Access"/>) does not exist for any
/// query — get, list, search, nested routes, the audit log and the event feed alike — so it answers
/// 404, never 403. Rule checks that must see every customer (duplicates, hierarchy loops, unique
/// external ids) read <see cref="All"/>, which ignores reach but not soft delete.
/// </summary>
public sealed class CustomerAccess : IRecordFilters
{
    /// <summary>The name of the customer-reach filter on the shared logs (audit, events); other features add their own beside it.</summary>
    public const string ReachFilter = "customerReach";

    public void Apply(ModelBuilder modelBuilder, AidaDb db)
    {
        // Reach (Platform.Auth.Access): everything; or the unassigned pool (managers); or customers the actor
        // owns, that a teammate owns, or that a member of a team the actor manages owns.
        modelBuilder.Entity<Customer>().HasQueryFilter(c => c.DeletedAt == null
            && (db.ReachesAllCustomers
                || (c.OwnerId == null
                    ? db.ReachesUnassigned
                    : c.OwnerId == db.ActorId
                      || db.Set<User>().Any(u => u.Id == c.OwnerId
                          && ((db.ActorTeamId != null && u.TeamId == db.ActorTeamId)
                              || (db.ActorManagesTeams && db.Set<Team>().Any(t => t.Id == u.TeamId && t.ManagerId == db.ActorId)))))));
        // Soft delete cascades, so a live child always has a live customer: for actors who reach every
        // customer the lookup of the customer is skipped (it was a second index probe per row in searches).
        modelBuilder.Entity<Contact>().HasQueryFilter(x => x.DeletedAt == null
            && (db.ReachesAllCustomers || db.Set<Customer>().Any(c => c.Id == x.CustomerId)));
        modelBuilder.Entity<Address>().HasQueryFilter(x => x.DeletedAt == null
            && (db.ReachesAllCustomers || db.Set<Customer>().Any(c => c.Id == x.CustomerId)));
        modelBuilder.Entity<Account>().HasQueryFilter(x => x.DeletedAt == null
            && (db.ReachesAllCustomers || db.Set<Customer>().Any(c => c.Id == x.CustomerId)));
        modelBuilder.Entity<Relationship>().HasQueryFilter(x => x.DeletedAt == null
            && (db.ReachesAllCustomers
                || (db.Set<Customer>().Any(c => c.Id == x.FromCustomerId) && db.Set<Customer>().Any(c => c.Id == x.ToCustomerId))));
        // An entry of no customer is left to Platform.Audit.AuditAudience, as an event of none is to its audience.
        modelBuilder.Entity<AuditEntry>().HasQueryFilter(ReachFilter, a => a.CustomerId == null
            || db.ReachesAllCustomers
            || db.Set<Customer>().Any(c => c.Id == a.CustomerId));
        // An event of no customer is left to its audience (Platform.Events.EventAudiences): users' and tokens' events are not everyone's.
        modelBuilder.Entity<OutboxEvent>().HasQueryFilter(ReachFilter, e => e.CustomerId == null
            || db.ReachesAllCustomers
            || db.Set<Customer>().Any(c => c.Id == e.CustomerId));
    }

    /// <summary>
    /// The reach rule above, applied to owners: for figures kept per owner (counts, snapshots), which a viewer
    /// sums over the owners whose customers they see. One query, for an actor who does not reach every customer.
    /// </summary>
    public static async Task<OwnerReach> OwnersInReachAsync(AidaDb db, CancellationToken cancellationToken)
    {
        if (db.ReachesAllCustomers)
        {
            return new OwnerReach(true, true, []);
        }

        var actor = db.ActorId;
        var team = db.ActorTeamId;
        var manages = db.ActorManagesTeams;
        var owners = await db.Set<User>().IgnoreQueryFilters()
            .Where(u => u.Id == actor
                || (team != null && u.TeamId == team)
                || (manages && db.Set<Team>().IgnoreQueryFilters().Any(t => t.Id == u.TeamId && t.ManagerId == actor)))
            .Select(u => (Guid?)u.Id).ToListAsync(cancellationToken);
        return new OwnerReach(false, db.ReachesUnassigned, owners);
    }

    /// <summary>Every live customer, whoever can see it: for rules that must hold across all of them.</summary>
    public static IQueryable<Customer> All(AidaDb db) => db.Set<Customer>().IgnoreQueryFilters().Where(c => c.DeletedAt == null);

    public static IQueryable<Contact> AllContacts(AidaDb db) => db.Set<Contact>().IgnoreQueryFilters().Where(c => c.DeletedAt == null);

    public static IQueryable<Account> AllAccounts(AidaDb db) => db.Set<Account>().IgnoreQueryFilters().Where(a => a.DeletedAt == null);

    public static IQueryable<Relationship> AllRelationships(AidaDb db) => db.Set<Relationship>().IgnoreQueryFilters().Where(r => r.DeletedAt == null);
}

/// <summary>The owners whose customers a viewer sees (<see cref="CustomerAccess.OwnersInReachAsync"/>): every owner, or the listed ones and, if <see cref="Unassigned"/>, the customers of none.</summary>
public sealed record OwnerReach(bool All, bool Unassigned, List<Guid?> Owners)
{
    /// <summary>The rows, of a table kept per owner, of the owners this reach covers.</summary>
    public IQueryable<T> Filter<T>(IQueryable<T> rows, Expression<Func<T, Guid?>> owner)
    {
        if (All)
        {
            return rows;
        }

        var (unassigned, owners) = (Unassigned, Owners);
        Expression<Func<Guid?, bool>> reached = o => o == null ? unassigned : owners.Contains(o);
        var body = new ReplaceParameter(reached.Parameters[0], owner.Body).Visit(reached.Body);
        return rows.Where(Expression.Lambda<Func<T, bool>>(body, owner.Parameters));
    }

    private sealed class ReplaceParameter(ParameterExpression parameter, Expression replacement) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == parameter ? replacement : base.VisitParameter(node);
    }
}

