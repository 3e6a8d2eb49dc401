namespace Aida.Features.Customers.Addresses;

public static class GetAddress
{
    public static async Task<Results<Ok<AddressResponse>, ProblemHttpResult>> Handle(
        Guid customerId, Guid addressId, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(customerId, addressId, db, cancellationToken)).ToOkOrProblem(response);

    public static Task<Result<AddressResponse>> RunAsync(Guid customerId, Guid addressId, AidaDb db, CancellationToken cancellationToken) =>
        db.Set<Address>().AsNoTracking().Where(a => a.Id == addressId && a.CustomerId == customerId).FindAsync("address", a => a.ToResponse(), cancellationToken);
}
