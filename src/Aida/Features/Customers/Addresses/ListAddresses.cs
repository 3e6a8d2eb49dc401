namespace Aida.Features.Customers.Addresses;

public static class ListAddresses
{
    public static async Task<Results<Ok<Page<AddressResponse>>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid customerId, string? type, int? limit, string? cursor, AidaDb db, CancellationToken cancellationToken) =>
        (await RunAsync(customerId, type, limit, cursor, db, cancellationToken)).ToOk();

    public static async Task<Result<Page<AddressResponse>>> RunAsync(
        Guid customerId, string? type, int? limit, string? cursor, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var take = Paging.Limit(limit, errors);
        var types = QueryValues.EnumList<AddressType>(type, "type", errors);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        if (!await db.Set<Customer>().AnyAsync(c => c.Id == customerId, cancellationToken))
        {
            return new Failure.NotFound("customer");
        }

        var query = db.Set<Address>().AsNoTracking().Where(a => a.CustomerId == customerId);
        if (types is { Count: > 0 })
        {
            query = query.Where(a => types.Contains(a.AddressType));
        }

        var page = await CreationOrder.PageAsync(query, cursor, take, cancellationToken);
        return page is null
            ? new Failure.Invalid("cursor", "Is not a cursor returned by this list; start again without it.")
            : Result.Ok(new Page<AddressResponse>(page.Items.Select(a => a.ToResponse()).ToList(), page.NextCursor));
    }
}
