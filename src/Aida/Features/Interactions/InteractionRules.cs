using Aida.Features.Customers;
using Aida.Features.Customers.Contacts;

namespace Aida.Features.Interactions;

/// <summary>The checks creating and changing an interaction share.</summary>
public static class InteractionRules
{
    /// <summary>Clock skew allowed for "now" from another machine; beyond it a time in the future is a mistake.</summary>
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);

    /// <summary>When it happened, in UTC. Required with an offset (spec edge case "timezone mismatch"): the server never guesses a zone.</summary>
    public static DateTime? OccurredAt(ValidationErrors errors, string field, DateTimeOffset? value, DateTime now)
    {
        if (value is null)
        {
            return null;
        }

        var utc = Time.Truncate(value.Value.UtcDateTime);
        if (utc > now + FutureTolerance)
        {
            errors.Add(field, "Is in the future; log an interaction after it happens, or schedule an activity instead.");
        }
        else if (utc.Year < 1900)
        {
            errors.Add(field, "Is not a plausible date.");
        }

        return utc;
    }

    public static void Duration(ValidationErrors errors, string field, int? minutes)
    {
        if (minutes is < 0 or > Interaction.MaxDurationMinutes)
        {
            errors.Add(field, $"Must be between 0 and {Interaction.MaxDurationMinutes} minutes.");
        }
    }

    public static void Related(ValidationErrors errors, RelatedRecordType? type, Guid? id)
    {
        if (type is null != id is null)
        {
            errors.Add(type is null ? "relatedType" : "relatedId", "relatedType and relatedId go together: send both or neither.");
        }
    }

    /// <summary>The customer must be one the actor can see; the contact, if any, must belong to it.</summary>
    public static async Task CheckCustomerAndContactAsync(
        AidaDb db, Guid? customerId, Guid? contactId, ValidationErrors errors, CancellationToken cancellationToken)
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

        if (contactId is not null && !await db.Set<Contact>().AnyAsync(c => c.Id == contactId && c.CustomerId == customerId, cancellationToken))
        {
            errors.Add("contactId", "Is not a contact of this customer.");
        }
    }
}
