using Aida.Platform;
using Aida.Platform.Data;
using Aida.Platform.Events;
using Aida.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Aida.Features.Customers.Addresses;

public static class DeleteAddress
{
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Handle(
        Guid customerId,
        Guid addressId,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        AidaDb db,
        CancellationToken cancellationToken)
    {
        if (IfMatch.Parse(ifMatch) is not { IsValid: true } precondition)
        {
            return Problems.InvalidIfMatch();
        }

        var address = await db.Set<Address>().FirstOrDefaultAsync(a => a.Id == addressId && a.CustomerId == customerId, cancellationToken);
        if (address is null)
        {
            return Problems.NotFound("address");
        }

        if (!precondition.Allows(address.Version))
        {
            return Problems.PreconditionFailed(address.Version);
        }

        address.DeletedAt = db.Clock.UtcNow();
        db.Publish("address.deleted", AddressMapping.Subject(address), () => new { address = address.ToResponse() });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }
}
