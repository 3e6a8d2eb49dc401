using Aida.Platform;
using Aida.Platform.Data;
using Aida.Platform.Events;
using Aida.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Aida.Features.Customers.Addresses;

public static class GetAddress
{
    public static async Task<Results<Ok<AddressResponse>, ProblemHttpResult>> Handle(
        Guid customerId, Guid addressId, AidaDb db, HttpResponse response, CancellationToken cancellationToken)
    {
        var address = await db.Set<Address>().AsNoTracking()
            .FirstOrDefaultAsync(a => a.Id == addressId && a.CustomerId == customerId, cancellationToken);
        if (address is null)
        {
            return Problems.NotFound("address");
        }

        ETags.Set(response, address.Version);
        return TypedResults.Ok(address.ToResponse());
    }
}
