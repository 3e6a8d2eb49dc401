using Aida.Features.Customers.Accounts;
using Aida.Features.Customers.Addresses;
using Aida.Features.Customers.Contacts;
using Aida.Features.Customers.Relationships;

namespace Aida.Features.Customers;

/// <summary>
/// Soft-deletes a customer and, in the same transaction, everything that belongs to it (Customer AC-3):
/// contacts, addresses, account and relationships in either direction. Customers below it in the
/// hierarchy stay, detached from it. Deleted records answer 404 and leave every list. Other features'
/// records that go with it register an <see cref="ICustomerDependents"/>.
/// </summary>
public static class DeleteCustomer
{
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        AidaDb db,
        [FromServices] IEnumerable<ICustomerDependents> dependents,
        CancellationToken cancellationToken) =>
        (await RunAsync(id, ifMatch, db, dependents, cancellationToken)).ToNoContent();

    /// <summary>The deleted customer's id, or why it was not deleted.</summary>
    public static Task<Result<Guid>> RunAsync(
        Guid id, string? ifMatch, AidaDb db, IEnumerable<ICustomerDependents> dependents, CancellationToken cancellationToken) =>
        db.ChangeAsync(db.Set<Customer>().Where(c => c.Id == id), ifMatch, "customer",
            customer => CascadeAsync(customer, db, dependents, cancellationToken), customer => customer.Id, cancellationToken);

    private static async Task<Failure?> CascadeAsync(
        Customer customer, AidaDb db, IEnumerable<ICustomerDependents> dependents, CancellationToken cancellationToken)
    {
        var id = customer.Id;
        var now = db.Clock.UtcNow();
        var contacts = await CustomerAccess.AllContacts(db).Where(c => c.CustomerId == id).ToListAsync(cancellationToken);
        var addresses = await db.Set<Address>().IgnoreQueryFilters().Where(a => a.CustomerId == id && a.DeletedAt == null).ToListAsync(cancellationToken);
        var accounts = await CustomerAccess.AllAccounts(db).Where(a => a.CustomerId == id).ToListAsync(cancellationToken);
        // Everything attached to the customer goes, including links to customers the actor cannot see.
        var relationships = await CustomerAccess.AllRelationships(db)
            .Where(r => r.FromCustomerId == id || r.ToCustomerId == id).ToListAsync(cancellationToken);
        var children = await CustomerAccess.All(db).Where(c => c.ParentId == id).ToListAsync(cancellationToken);
        var childIds = children.Select(c => c.Id).ToList();
        var childPrimaries = await CustomerAccess.AllContacts(db).AsNoTracking()
            .Where(c => childIds.Contains(c.CustomerId) && c.IsPrimary)
            .ToDictionaryAsync(c => c.CustomerId, cancellationToken);

        foreach (var contact in contacts)
        {
            contact.DeletedAt = now;
            db.Publish("contact.deleted", ContactMapping.Subject(contact), () => new { contact = contact.ToResponse() });
        }

        foreach (var address in addresses)
        {
            address.DeletedAt = now;
            db.Publish("address.deleted", AddressMapping.Subject(address), () => new { address = address.ToResponse() });
        }

        foreach (var account in accounts)
        {
            account.DeletedAt = now;
            db.Publish("account.deleted", AccountMapping.Subject(account), () => new { account = account.ToResponse() });
        }

        foreach (var relationship in relationships)
        {
            relationship.DeletedAt = now;
            db.Publish("relationship.deleted", RelationshipMapping.Subject(relationship), () => new { relationship = relationship.ToResponse() });
        }

        // Other features' records that go with the customer (scheduled work, say), each counted in the event.
        var cascaded = new Dictionary<string, int>
        {
            ["contacts"] = contacts.Count,
            ["addresses"] = addresses.Count,
            ["accounts"] = accounts.Count,
            ["relationships"] = relationships.Count,
        };
        foreach (var dependent in dependents)
        {
            cascaded[dependent.Name] = await dependent.DeleteWithCustomerAsync(db, id, now, cancellationToken);
        }

        foreach (var child in children)
        {
            child.ParentId = null;
            db.Publish("customer.updated", CustomerMapping.Subject(child.Id), () => new { customer = child.ToResponse(childPrimaries.GetValueOrDefault(child.Id)), changes = new[] { "parentId" } });
        }

        customer.DeletedAt = now;
        db.Publish("customer.deleted", CustomerMapping.Subject(id), () => new
        {
            customer = customer.ToResponse(contacts.FirstOrDefault(c => c.IsPrimary)),
            cascaded,
        });

        return null;
    }
}

/// <summary>
/// Records of another feature that are deleted with their customer, in the same transaction (Customer AC-3).
/// The feature registers one; deleting a customer soft-deletes them and publishes their events.
/// </summary>
public interface ICustomerDependents
{
    /// <summary>What they are called in the customer.deleted event's <c>cascaded</c> counts.</summary>
    string Name { get; }

    /// <summary>Marks the customer's records deleted at <paramref name="now"/>, publishes their events, and says how many.</summary>
    Task<int> DeleteWithCustomerAsync(AidaDb db, Guid customerId, DateTime now, CancellationToken cancellationToken);
}
