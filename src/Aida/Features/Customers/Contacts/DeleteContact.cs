using Aida.Platform;
using Aida.Platform.Data;
using Aida.Platform.Events;
using Aida.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Aida.Features.Customers.Contacts;

/// <summary>Soft-deletes a contact. Deleting the primary leaves the customer without one until another is chosen.</summary>
public static class DeleteContact
{
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Handle(
        Guid customerId,
        Guid contactId,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        AidaDb db,
        CancellationToken cancellationToken)
    {
        if (IfMatch.Parse(ifMatch) is not { IsValid: true } precondition)
        {
            return Problems.InvalidIfMatch();
        }

        var contact = await db.Set<Contact>().FirstOrDefaultAsync(c => c.Id == contactId && c.CustomerId == customerId, cancellationToken);
        if (contact is null)
        {
            return Problems.NotFound("contact");
        }

        if (!precondition.Allows(contact.Version))
        {
            return Problems.PreconditionFailed(contact.Version);
        }

        contact.DeletedAt = db.Clock.UtcNow();
        db.Publish("contact.deleted", ContactMapping.Subject(contact), () => new { contact = contact.ToResponse() });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }
}
