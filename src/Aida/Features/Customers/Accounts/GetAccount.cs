namespace Aida.Features.Customers.Accounts;

public static class GetAccount
{
    public static async Task<Results<Ok<AccountResponse>, ProblemHttpResult>> Handle(
        Guid customerId, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(customerId, db, cancellationToken)).ToOkOrProblem(response);

    public static Task<Result<AccountResponse>> RunAsync(Guid customerId, AidaDb db, CancellationToken cancellationToken) =>
        db.Set<Account>().AsNoTracking().Where(a => a.CustomerId == customerId).FindAsync("account for this customer", a => a.ToResponseFor(db), cancellationToken);
}
