namespace Aida.Features.Customers.Contacts;

public static class CreateContact
{
    public static async Task<Results<Created<ContactResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid customerId, [FromBody] ContactFields request, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(customerId, request, db, cancellationToken)).ToCreated(response, ContactMapping.Location);

    public static async Task<Result<ContactResponse>> RunAsync(Guid customerId, ContactFields request, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var contact = request.ToContact(errors);
        if (contact is null)
        {
            return errors.ToFailure();
        }

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        if (!await db.Set<Customer>().AnyAsync(c => c.Id == customerId, cancellationToken))
        {
            return new Failure.NotFound("customer");
        }

        contact.CustomerId = customerId;
        contact.IsPrimary = await PrimaryContacts.ResolveAsync(db, customerId, null, request.IsPrimary, cancellationToken);
        db.Add(contact);
        db.Publish("contact.created", ContactMapping.Subject(contact), () => new { contact = contact.ToResponse() });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Result.Ok(contact.ToResponse(), contact.Version);
    }
}
