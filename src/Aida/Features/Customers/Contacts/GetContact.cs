namespace Aida.Features.Customers.Contacts;

public static class GetContact
{
    public static async Task<Results<Ok<ContactResponse>, ProblemHttpResult>> Handle(
        Guid customerId, Guid contactId, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(customerId, contactId, db, cancellationToken)).ToOkOrProblem(response);

    public static async Task<Result<ContactResponse>> RunAsync(Guid customerId, Guid contactId, AidaDb db, CancellationToken cancellationToken) =>
        await db.Set<Contact>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == contactId && c.CustomerId == customerId, cancellationToken) is { } contact
            ? Result.Ok(contact.ToResponse(), contact.Version)
            : new Failure.NotFound("contact");
}
