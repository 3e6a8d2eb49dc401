using Aida.Platform.Data;
using Aida.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Aida.Features.Customers.Contacts;

public static class GetContact
{
    public static async Task<Results<Ok<ContactResponse>, ProblemHttpResult>> Handle(
        Guid customerId, Guid contactId, AidaDb db, HttpResponse response, CancellationToken cancellationToken)
    {
        var contact = await db.Set<Contact>().AsNoTracking()
            .FirstOrDefaultAsync(c => c.Id == contactId && c.CustomerId == customerId, cancellationToken);
        if (contact is null)
        {
            return Problems.NotFound("contact");
        }

        ETags.Set(response, contact.Version);
        return TypedResults.Ok(contact.ToResponse());
    }
}
