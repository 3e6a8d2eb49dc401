using Aida.Features.Customers;

namespace Aida.Features.Deals;

/// <summary>
/// Record-level access for deals: a deal is visible to whoever reaches its customer, and to its owner
/// (a rep may own a deal on a customer someone else looks after). Its stage history follows it.
/// </summary>
public sealed class DealAccess : IRecordFilters
{
    public void Apply(ModelBuilder modelBuilder, AidaDb db)
    {
        modelBuilder.Entity<Opportunity>().HasQueryFilter(o => o.DeletedAt == null
            && (db.ReachesAllCustomers
                || o.OwnerId == db.ActorId
                || db.Set<Customer>().Any(c => c.Id == o.CustomerId)));
        modelBuilder.Entity<OpportunityStageHistory>().HasQueryFilter(h => db.Set<Opportunity>().Any(o => o.Id == h.OpportunityId));
    }

    /// <summary>Every live deal, whoever can see it: for idempotent conversion and rules across all deals.</summary>
    public static IQueryable<Opportunity> All(AidaDb db) => db.Set<Opportunity>().IgnoreQueryFilters().Where(o => o.DeletedAt == null);
}
