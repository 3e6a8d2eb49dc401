using Aida.Features.Customers;
using Aida.Features.Customers.Contacts;

namespace Aida.Features.Deals;

/// <summary>The field rules creating and changing a deal share, so both refuse the same input with the same words.</summary>
public static class DealRules
{
    public static void Probability(ValidationErrors errors, int? probability)
    {
        if (probability is < 0 or > 100)
        {
            errors.Add("probability", "Must be between 0 and 100, or null for the stage's default.");
        }
    }

    /// <summary>The customer must be in the actor's reach (else it is as good as absent); the contact, if any, must be its own.</summary>
    public static async Task CustomerAndContactAsync(AidaDb db, Guid? customerId, Guid? contactId, ValidationErrors errors, CancellationToken cancellationToken)
    {
        if (customerId is null)
        {
            errors.Add("customerId", "Is required.");
            return;
        }

        if (!await db.Set<Customer>().AnyAsync(c => c.Id == customerId, cancellationToken))
        {
            errors.Add("customerId", "No customer with this id exists, or it is not yours to see.");
            return;
        }

        await ContactAsync(db, customerId.Value, contactId, errors, cancellationToken);
    }

    public static async Task ContactAsync(AidaDb db, Guid customerId, Guid? contactId, ValidationErrors errors, CancellationToken cancellationToken)
    {
        // Read past the customer filter: the deal's owner may work a customer outside their own reach.
        if (contactId is not null && !await db.Set<Contact>().IgnoreQueryFilters()
                .AnyAsync(c => c.Id == contactId && c.CustomerId == customerId && c.DeletedAt == null, cancellationToken))
        {
            errors.Add("contactId", "Is not a contact of this customer.");
        }
    }

    public static Task OwnerAsync(AidaDb db, Guid ownerId, ValidationErrors errors, CancellationToken cancellationToken) =>
        Owners.CheckAsync(db, ownerId, errors, "ownerId", cancellationToken, records: "deals");
}
