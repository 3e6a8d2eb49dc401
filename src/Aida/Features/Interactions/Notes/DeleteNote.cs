namespace Aida.Features.Interactions.Notes;

public static class DeleteNote
{
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, [FromHeader(Name = "If-Match")] string? ifMatch, AidaDb db, CancellationToken cancellationToken) =>
        (await RunAsync(id, ifMatch, db, cancellationToken)).ToNoContent();

    public static async Task<Result<Note>> RunAsync(Guid id, string? ifMatch, AidaDb db, CancellationToken cancellationToken)
    {
        var author = await db.Set<Note>().Where(n => n.Id == id).Select(n => (Guid?)n.CreatedBy).FirstOrDefaultAsync(cancellationToken);
        if (author is not null && author != db.Operation.ActorId && !db.Operation.Access.Can(Permissions.CustomersDelete))
        {
            return new Failure.Forbidden("id", "Only the note's author, or someone allowed to delete customer records, can delete it.");
        }

        return await db.SoftDeleteAsync(db.Set<Note>().Where(n => n.Id == id), ifMatch, "note", "note.deleted", NoteMapping.Subject,
            n => n.ToEvent(), cancellationToken);
    }
}
