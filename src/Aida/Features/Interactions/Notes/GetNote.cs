namespace Aida.Features.Interactions.Notes;

public static class GetNote
{
    public static async Task<Results<Ok<NoteResponse>, ProblemHttpResult>> Handle(Guid id, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(id, db, cancellationToken)).ToOkOrProblem(response);

    public static Task<Result<NoteResponse>> RunAsync(Guid id, AidaDb db, CancellationToken cancellationToken) =>
        db.Set<Note>().AsNoTracking().Where(n => n.Id == id).FindAsync("note", n => n.ToResponse(), cancellationToken);
}
