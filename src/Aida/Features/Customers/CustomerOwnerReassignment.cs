using Aida.Features.Customers.Contacts;

namespace Aida.Features.Customers;

/// <summary>When an owner is deactivated, their customers go to the team manager or the unassigned pool (spec 002 edge case).</summary>
public sealed class CustomerOwnerReassignment : IOwnerReassignment
{
    public async Task ReassignAsync(AidaDb db, Guid formerOwner, Guid? heir, CancellationToken cancellationToken)
    {
        var customers = await CustomerAccess.All(db).Where(c => c.OwnerId == formerOwner).ToListAsync(cancellationToken);
        // A join, not a list of ids: someone may own more customers than a statement takes parameters.
        var primaries = await CustomerAccess.AllContacts(db).AsNoTracking()
            .Where(c => c.IsPrimary && CustomerAccess.All(db).Any(x => x.Id == c.CustomerId && x.OwnerId == formerOwner))
            .ToDictionaryAsync(c => c.CustomerId, cancellationToken);
        foreach (var customer in customers)
        {
            customer.OwnerId = heir;
            db.Publish("customer.updated", CustomerMapping.Subject(customer.Id),
                () => new { customer = customer.ToResponse(primaries.GetValueOrDefault(customer.Id)), changes = new[] { "ownerId" } });
        }
    }
}
