namespace Aida.Features.Customers.Accounts;

public static class DeleteAccount
{
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Handle(
        Guid customerId,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        AidaDb db,
        CancellationToken cancellationToken) =>
        (await RunAsync(customerId, ifMatch, db, cancellationToken)).ToNoContent();

    public static Task<Result<Account>> RunAsync(Guid customerId, string? ifMatch, AidaDb db, CancellationToken cancellationToken) =>
        db.SoftDeleteAsync(
            db.Set<Account>().Where(a => a.CustomerId == customerId), ifMatch, "account for this customer",
            "account.deleted", AccountMapping.Subject, a => new { account = a.ToResponse() }, cancellationToken);
}
