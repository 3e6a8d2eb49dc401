using Aida.Features.Customers.Addresses;

namespace Aida.Features.Customers.Accounts;

/// <summary>An organisation customer's account: exactly one, and only for organisations (Account AC-1).</summary>
public static class CreateAccount
{
    public static async Task<Results<Created<AccountResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid customerId, [FromBody] AccountFields request, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(customerId, request, db, cancellationToken)).ToCreated(response, created => AccountMapping.Location(created.CustomerId));

    public static async Task<Result<AccountResponse>> RunAsync(Guid customerId, AccountFields request, AidaDb db, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var customer = await db.Set<Customer>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == customerId, cancellationToken);
        if (customer is null)
        {
            return new Failure.NotFound("customer");
        }

        if (customer.Type != CustomerType.Organization)
        {
            return new Failure.Conflict("type", "Only organization customers have an account; this customer is an individual.");
        }

        if (AccountMapping.ForbiddenTaxId(db, "taxId", request.TaxId) is { } forbidden)
        {
            return forbidden;
        }

        var errors = new ValidationErrors();
        var account = request.ToAccount(errors, await AddressDefaults.CountryOfCustomerAsync(db, customerId, cancellationToken));
        if (account is null)
        {
            return errors.ToFailure();
        }

        if (await db.Set<Account>().AnyAsync(a => a.CustomerId == customerId, cancellationToken))
        {
            return new Failure.Conflict("customerId", "The customer already has an account; change it with PATCH.");
        }

        account.CustomerId = customerId;
        db.Add(account);
        db.Publish("account.created", AccountMapping.Subject(account), () => new { account = account.ToResponse() });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Result.Ok(account.ToResponseFor(db), account.Version);
    }
}
