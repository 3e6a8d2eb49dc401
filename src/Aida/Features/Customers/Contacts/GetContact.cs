namespace Aida.Features.Customers.Contacts;

public static class GetContact
{
    public static async Task<Results<Ok<ContactResponse>, ProblemHttpResult>> Handle(
        Guid customerId, Guid contactId, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(customerId, contactId, db, cancellationToken)).ToOkOrProblem(response);

    public static Task<Result<ContactResponse>> RunAsync(Guid customerId, Guid contactId, AidaDb db, CancellationToken cancellationToken) =>
        db.Set<Contact>().AsNoTracking().Where(c => c.Id == contactId && c.CustomerId == customerId).FindAsync("contact", c => c.ToResponse(), cancellationToken);
}
