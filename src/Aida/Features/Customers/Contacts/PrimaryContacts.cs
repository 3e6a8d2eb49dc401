namespace Aida.Features.Customers.Contacts;

/// <summary>
/// One primary contact per customer (Contact AC-1). Making a contact primary demotes the previous
/// primary in the same transaction — how people "switch the primary" — and a customer's first contact
/// becomes its primary unless the request says otherwise. The partial unique index backs this up
/// when two requests race.
/// </summary>
public static class PrimaryContacts
{
    /// <summary>
    /// Decides whether a contact of <paramref name="customerId"/> is its primary: as requested, or when the
    /// request does not say, only if the customer has none. A new primary demotes the old one first, saved
    /// before the contact itself, because the unique index checks each statement. Call inside a write
    /// transaction, before the contact is added or changed.
    /// </summary>
    public static async Task<bool> ResolveAsync(AidaDb db, Guid customerId, Guid? exceptId, bool? requested, CancellationToken cancellationToken)
    {
        var current = await db.Set<Contact>()
            .Where(c => c.CustomerId == customerId && c.IsPrimary && c.Id != exceptId)
            .ToListAsync(cancellationToken);
        var makePrimary = requested ?? current.Count == 0;
        if (makePrimary && current.Count > 0)
        {
            foreach (var previous in current)
            {
                previous.IsPrimary = false;
                db.Publish("contact.updated", ContactMapping.Subject(previous), () => new { contact = previous.ToResponse(), changes = new[] { "isPrimary" } });
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        return makePrimary;
    }
}
