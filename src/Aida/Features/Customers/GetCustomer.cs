using Aida.Features.Customers.Contacts;
using Aida.Platform.Data;
using Aida.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Aida.Features.Customers;

public static class GetCustomer
{
    public static async Task<Results<Ok<CustomerResponse>, ProblemHttpResult>> Handle(
        Guid id, AidaDb db, HttpResponse response, CancellationToken cancellationToken)
    {
        var customer = await db.Set<Customer>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (customer is null)
        {
            return Problems.NotFound("customer");
        }

        var primary = await db.Set<Contact>().AsNoTracking()
            .FirstOrDefaultAsync(c => c.CustomerId == id && c.IsPrimary, cancellationToken);
        ETags.Set(response, customer.Version);
        return TypedResults.Ok(customer.ToResponse(primary));
    }
}
