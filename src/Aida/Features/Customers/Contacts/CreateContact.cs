using Aida.Platform.Data;
using Aida.Platform.Events;
using Aida.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Aida.Features.Customers.Contacts;

public static class CreateContact
{
    public static async Task<Results<Created<ContactResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid customerId, [FromBody] ContactFields request, AidaDb db, HttpResponse response, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var contact = request.ToContact(errors);
        if (contact is null)
        {
            return errors.ToProblem();
        }

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        if (!await db.Set<Customer>().AnyAsync(c => c.Id == customerId, cancellationToken))
        {
            return Problems.NotFound("customer");
        }

        contact.CustomerId = customerId;
        contact.IsPrimary = await PrimaryContacts.ResolveAsync(db, customerId, null, request.IsPrimary, cancellationToken);
        db.Add(contact);
        db.Publish("contact.created", ContactMapping.Subject(contact), () => new { contact = contact.ToResponse() });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        ETags.Set(response, contact.Version);
        return TypedResults.Created(ContactMapping.Location(contact), contact.ToResponse());
    }
}
