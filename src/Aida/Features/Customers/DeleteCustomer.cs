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
            async customer =>
            {
                await CascadeAsync([customer], db, dependents, cancellationToken);
                return null;
            },
            customer => customer.Id, cancellationToken);

    /// <summary>
    /// Deletes several customers as <see cref="RunAsync"/> deletes one — the same cascade, the same events — with
    /// a handful of queries and one save for all of them, in one transaction (the caller's, if it has one): an
    /// import's revert removes thousands. Returns the ids deleted; the others were deleted already or are out of
    /// the actor's reach.
    /// </summary>
    public static async Task<IReadOnlyList<Guid>> RunManyAsync(
        IReadOnlyCollection<Guid> ids, AidaDb db, IEnumerable<ICustomerDependents> dependents, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var customers = await db.Set<Customer>().Where(c => ids.Contains(c.Id)).ToListAsync(cancellationToken);
        await CascadeAsync(customers, db, dependents, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return customers.Select(c => c.Id).ToList();
    }

    private static async Task CascadeAsync(
        IReadOnlyList<Customer> customers, AidaDb db, IEnumerable<ICustomerDependents> dependents, CancellationToken cancellationToken)
    {
        var ids = customers.Select(c => c.Id).ToList();
        var parents = ids.Select(id => (Guid?)id).ToList();
        var now = db.Clock.UtcNow();
        var contacts = (await CustomerAccess.AllContacts(db).Where(c => ids.Contains(c.CustomerId)).ToListAsync(cancellationToken)).ToLookup(c => c.CustomerId);
        var addresses = (await db.Set<Address>().IgnoreQueryFilters().Where(a => ids.Contains(a.CustomerId) && a.DeletedAt == null).ToListAsync(cancellationToken))
            .ToLookup(a => a.CustomerId);
        var accounts = (await CustomerAccess.AllAccounts(db).Where(a => ids.Contains(a.CustomerId)).ToListAsync(cancellationToken)).ToLookup(a => a.CustomerId);
        // Everything attached to the customer goes, including links to customers the actor cannot see.
        var relationships = await CustomerAccess.AllRelationships(db)
            .Where(r => ids.Contains(r.FromCustomerId) || ids.Contains(r.ToCustomerId)).ToListAsync(cancellationToken);
        var children = await CustomerAccess.All(db).Where(c => parents.Contains(c.ParentId)).ToListAsync(cancellationToken);
        var childIds = children.Select(c => c.Id).ToList();
        var childPrimaries = await CustomerAccess.AllContacts(db).AsNoTracking()
            .Where(c => childIds.Contains(c.CustomerId) && c.IsPrimary)
            .ToDictionaryAsync(c => c.CustomerId, cancellationToken);
        var relationshipsOf = ids.ToDictionary(id => id, id => 0);

        foreach (var contact in contacts.SelectMany(c => c))
        {
            contact.DeletedAt = now;
            db.Publish("contact.deleted", ContactMapping.Subject(contact), () => new { contact = contact.ToResponse() });
        }

        foreach (var address in addresses.SelectMany(a => a))
        {
            address.DeletedAt = now;
            db.Publish("address.deleted", AddressMapping.Subject(address), () => new { address = address.ToResponse() });
        }

        foreach (var account in accounts.SelectMany(a => a))
        {
            account.DeletedAt = now;
            db.Publish("account.deleted", AccountMapping.Subject(account), () => new { account = account.ToResponse() });
        }

        foreach (var relationship in relationships)
        {
            relationship.DeletedAt = now;
            // Counted with the first of its two customers being deleted, as deleting them one by one would.
            relationshipsOf[relationshipsOf.ContainsKey(relationship.FromCustomerId) ? relationship.FromCustomerId : relationship.ToCustomerId]++;
            db.Publish("relationship.deleted", RelationshipMapping.Subject(relationship), () => new { relationship = relationship.ToResponse() });
        }

        // Customers below a deleted one stay, detached from it (one deleted in the same batch is detached first, as
        // it would be were the two deleted one after the other).
        foreach (var child in children)
        {
            child.ParentId = null;
            db.Publish("customer.updated", CustomerMapping.Subject(child.Id), () => new { customer = child.ToResponse(childPrimaries.GetValueOrDefault(child.Id)), changes = new[] { "parentId" } });
        }

        // Other features' records that go with the customers (scheduled work, say), each counted in the event.
        var dependentCounts = new List<(string Name, IReadOnlyDictionary<Guid, int> Counts)>();
        foreach (var dependent in dependents)
        {
            dependentCounts.Add((dependent.Name, await dependent.DeleteWithCustomersAsync(db, ids, now, cancellationToken)));
        }

        foreach (var customer in customers)
        {
            var id = customer.Id;
            var cascaded = new Dictionary<string, int>
            {
                ["contacts"] = contacts[id].Count(),
                ["addresses"] = addresses[id].Count(),
                ["accounts"] = accounts[id].Count(),
                ["relationships"] = relationshipsOf[id],
            };
            foreach (var (name, counts) in dependentCounts)
            {
                cascaded[name] = counts.GetValueOrDefault(id);
            }

            customer.DeletedAt = now;
            var primary = contacts[id].FirstOrDefault(c => c.IsPrimary);
            db.Publish("customer.deleted", CustomerMapping.Subject(id), () => new { customer = customer.ToResponse(primary), cascaded });
        }
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

    /// <summary>
    /// Marks the records of <paramref name="customerIds"/> deleted at <paramref name="now"/>, publishes their events,
    /// and says how many each customer had (a customer with none may be left out).
    /// </summary>
    Task<IReadOnlyDictionary<Guid, int>> DeleteWithCustomersAsync(AidaDb db, IReadOnlyList<Guid> customerIds, DateTime now, CancellationToken cancellationToken);
}
