using Aida.Features.Customers.Addresses;
using Aida.Platform;
using Aida.Platform.Data;
using Aida.Platform.Events;
using Aida.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Aida.Features.Customers.Accounts;

public static class DeleteAccount
{
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Handle(
        Guid customerId,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        AidaDb db,
        CancellationToken cancellationToken)
    {
        if (IfMatch.Parse(ifMatch) is not { IsValid: true } precondition)
        {
            return Problems.InvalidIfMatch();
        }

        var account = await db.Set<Account>().FirstOrDefaultAsync(a => a.CustomerId == customerId, cancellationToken);
        if (account is null)
        {
            return Problems.NotFound("account for this customer");
        }

        if (!precondition.Allows(account.Version))
        {
            return Problems.PreconditionFailed(account.Version);
        }

        account.DeletedAt = db.Clock.UtcNow();
        db.Publish("account.deleted", AccountMapping.Subject(account), () => new { account = account.ToResponse() });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }
}
