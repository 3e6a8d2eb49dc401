using Aida.Features.Customers.Addresses;
using Aida.Platform;
using Aida.Platform.Data;
using Aida.Platform.Events;
using Aida.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Aida.Features.Customers.Accounts;

public static class GetAccount
{
    public static async Task<Results<Ok<AccountResponse>, ProblemHttpResult>> Handle(
        Guid customerId, AidaDb db, HttpResponse response, CancellationToken cancellationToken)
    {
        var account = await db.Set<Account>().AsNoTracking().FirstOrDefaultAsync(a => a.CustomerId == customerId, cancellationToken);
        if (account is null)
        {
            return Problems.NotFound("account for this customer");
        }

        ETags.Set(response, account.Version);
        return TypedResults.Ok(account.ToResponseFor(db));
    }
}
