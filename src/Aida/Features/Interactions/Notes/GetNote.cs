namespace Aida.Features.Interactions.Notes;

public static class GetNote
{
    public static async Task<Results<Ok<NoteResponse>, ProblemHttpResult>> Handle(Guid id, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(id, db, cancellationToken)).ToOkOrProblem(response);

    public static async Task<Result<NoteResponse>> RunAsync(Guid id, AidaDb db, CancellationToken cancellationToken)
    {
        var note = await db.Set<Note>().AsNoTracking().FirstOrDefaultAsync(n => n.Id == id, cancellationToken);
        return note is null
            ? new Failure.NotFound("note")
            : Result.Ok(note.ToResponse(), note.Version);
    }
}
