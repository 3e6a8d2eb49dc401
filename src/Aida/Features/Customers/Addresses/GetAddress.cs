namespace Aida.Features.Customers.Addresses;

public static class GetAddress
{
    public static async Task<Results<Ok<AddressResponse>, ProblemHttpResult>> Handle(
        Guid customerId, Guid addressId, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(customerId, addressId, db, cancellationToken)).ToOkOrProblem(response);

    public static async Task<Result<AddressResponse>> RunAsync(Guid customerId, Guid addressId, AidaDb db, CancellationToken cancellationToken) =>
        await db.Set<Address>().AsNoTracking().FirstOrDefaultAsync(a => a.Id == addressId && a.CustomerId == customerId, cancellationToken) is { } address
            ? Result.Ok(address.ToResponse(), address.Version)
            : new Failure.NotFound("address");
}
