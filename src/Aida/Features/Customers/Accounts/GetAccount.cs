namespace Aida.Features.Customers.Accounts;

public static class GetAccount
{
    public static async Task<Results<Ok<AccountResponse>, ProblemHttpResult>> Handle(
        Guid customerId, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(customerId, db, cancellationToken)).ToOkOrProblem(response);

    public static async Task<Result<AccountResponse>> RunAsync(Guid customerId, AidaDb db, CancellationToken cancellationToken) =>
        await db.Set<Account>().AsNoTracking().FirstOrDefaultAsync(a => a.CustomerId == customerId, cancellationToken) is { } account
            ? Result.Ok(account.ToResponseFor(db), account.Version)
            : new Failure.NotFound("account for this customer");
}
