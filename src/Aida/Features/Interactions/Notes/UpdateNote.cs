namespace Aida.Features.Interactions.Notes;

public static class UpdateNote
{
    public sealed record Request(
        Optional<string?> Title,
        Optional<string?> Content,
        Optional<bool> IsPinned,
        Optional<NoteVisibility> Visibility);

    public static async Task<Results<Ok<NoteResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id,
        [FromBody] Request request,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        AidaDb db,
        HttpResponse response,
        CancellationToken cancellationToken)
    {
        var result = await RunAsync(id, request, ifMatch, db, cancellationToken);
        if (result.Value?.PiiWarning() is { } warning)
        {
            response.Headers["Aida-Warning"] = warning;
        }

        return result.ToOk(response);
    }

    public static Task<Result<NoteResponse>> RunAsync(
        Guid id, Request request, string? ifMatch, AidaDb db, CancellationToken cancellationToken) =>
        db.ChangeAsync(db.Set<Note>().Where(n => n.Id == id), ifMatch, "note", note =>
        {
            if (!NoteRules.MayEdit(db, note) && (request.Title.IsSet || request.Content.IsSet || request.Visibility.IsSet))
            {
                return Task.FromResult<Failure?>(new Failure.Forbidden("content", "Only the note's author can change its title, text or visibility; others can pin or unpin it."));
            }

            var errors = new ValidationErrors();
            var title = request.Title.IsSet ? errors.OptionalText("title", request.Title.Value, Note.TitleMaxLength) : note.Title;
            var content = request.Content.IsSet ? NoteRules.Content(errors, request.Content.Value) : note.Content;
            if (errors.Any)
            {
                return Task.FromResult<Failure?>(errors.ToFailure());
            }

            note.Title = title;
            if (content != note.Content)
            {
                note.Content = content!;
            }

            note.IsPinned = request.IsPinned.Or(note.IsPinned);
            note.Visibility = request.Visibility.Or(note.Visibility);

            var changes = db.ChangedFields(note);
            // Content and title are not audited (they may hold personal data), so ChangedFields leaves them out.
            if (changes.Count > 0 || db.Entry(note).Property(n => n.Content).IsModified || db.Entry(note).Property(n => n.Title).IsModified)
            {
                db.Publish("note.updated", NoteMapping.Subject(note), note.ToEvent);
            }

            return Task.FromResult<Failure?>(null);
        }, note => note.ToResponse(), cancellationToken);
}
