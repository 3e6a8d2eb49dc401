namespace Aida.Features.Customers.Contacts;

/// <summary>Soft-deletes a contact. Deleting the primary leaves the customer without one until another is chosen.</summary>
public static class DeleteContact
{
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Handle(
        Guid customerId,
        Guid contactId,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        AidaDb db,
        CancellationToken cancellationToken) =>
        (await RunAsync(customerId, contactId, ifMatch, db, cancellationToken)).ToNoContent();

    public static Task<Result<Contact>> RunAsync(Guid customerId, Guid contactId, string? ifMatch, AidaDb db, CancellationToken cancellationToken) =>
        db.SoftDeleteAsync(
            db.Set<Contact>().Where(c => c.Id == contactId && c.CustomerId == customerId), ifMatch, "contact",
            "contact.deleted", ContactMapping.Subject, c => new { contact = c.ToResponse() }, cancellationToken);
}
