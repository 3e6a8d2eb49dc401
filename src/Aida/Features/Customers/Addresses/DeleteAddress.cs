namespace Aida.Features.Customers.Addresses;

/// <summary>Soft-deletes an address. Deleting a default leaves its type without one until another is chosen.</summary>
public static class DeleteAddress
{
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Handle(
        Guid customerId,
        Guid addressId,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        AidaDb db,
        CancellationToken cancellationToken) =>
        (await RunAsync(customerId, addressId, ifMatch, db, cancellationToken)).ToNoContent();

    public static Task<Result<Address>> RunAsync(Guid customerId, Guid addressId, string? ifMatch, AidaDb db, CancellationToken cancellationToken) =>
        db.SoftDeleteAsync(
            db.Set<Address>().Where(a => a.Id == addressId && a.CustomerId == customerId), ifMatch, "address",
            "address.deleted", AddressMapping.Subject, a => new { address = a.ToResponse() }, cancellationToken);
}
