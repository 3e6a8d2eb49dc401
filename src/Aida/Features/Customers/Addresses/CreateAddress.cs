namespace Aida.Features.Customers.Addresses;

public static class CreateAddress
{
    public static async Task<Results<Created<AddressResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid customerId, [FromBody] AddressFields request, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(customerId, request, db, cancellationToken)).ToCreated(response, AddressMapping.Location);

    public static async Task<Result<AddressResponse>> RunAsync(Guid customerId, AddressFields request, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var address = request.ToAddress(errors);
        if (address is null)
        {
            return errors.ToFailure();
        }

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        if (!await db.Set<Customer>().AnyAsync(c => c.Id == customerId, cancellationToken))
        {
            return new Failure.NotFound("customer");
        }

        address.CustomerId = customerId;
        address.IsDefault = await AddressDefaults.ResolveAsync(db, customerId, address.AddressType, null, request.IsDefault, cancellationToken);
        db.Add(address);
        db.Publish("address.created", AddressMapping.Subject(address), () => new { address = address.ToResponse() });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Result.Ok(address.ToResponse(), address.Version);
    }
}
