using Aida.Platform;
using Aida.Platform.Data;
using Aida.Platform.Events;
using Aida.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Aida.Features.Customers.Addresses;

public static class CreateAddress
{
    public static async Task<Results<Created<AddressResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid customerId, [FromBody] AddressFields request, AidaDb db, HttpResponse response, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var address = request.ToAddress(errors);
        if (address is null)
        {
            return errors.ToProblem();
        }

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        if (!await db.Set<Customer>().AnyAsync(c => c.Id == customerId, cancellationToken))
        {
            return Problems.NotFound("customer");
        }

        address.CustomerId = customerId;
        address.IsDefault = await AddressDefaults.ResolveAsync(db, customerId, address.AddressType, null, request.IsDefault, cancellationToken);
        db.Add(address);
        db.Publish("address.created", AddressMapping.Subject(address), () => new { address = address.ToResponse() });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        ETags.Set(response, address.Version);
        return TypedResults.Created(AddressMapping.Location(address), address.ToResponse());
    }
}
