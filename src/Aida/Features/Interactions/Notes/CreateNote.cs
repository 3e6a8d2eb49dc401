using Aida.Features.Customers;

namespace Aida.Features.Interactions.Notes;

public static class CreateNote
{
    public sealed record Request(
        Guid? CustomerId,
        string? Title,
        string? Content,
        bool? IsPinned,
        NoteVisibility? Visibility,
        NoteRelatedType? RelatedType,
        Guid? RelatedId);

    public static async Task<Results<Created<NoteResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        [FromBody] Request request, AidaDb db, [FromServices] RelatedRecords related, HttpResponse response, CancellationToken cancellationToken)
    {
        var result = await RunAsync(request, db, related, cancellationToken);
        if (result.Value?.PiiWarning() is { } warning)
        {
            // A header as well as the flag in the body, so a client that only shows headers still sees it.
            response.Headers["Aida-Warning"] = warning;
        }

        return result.ToCreated(response, created => NoteMapping.Location(created.Id));
    }

    public static async Task<Result<NoteResponse>> RunAsync(Request request, AidaDb db, RelatedRecords related, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var title = errors.OptionalText("title", request.Title, Note.TitleMaxLength);
        var content = NoteRules.Content(errors, request.Content);
        NoteRules.Related(errors, request.RelatedType, request.RelatedId);
        if (request.CustomerId is null)
        {
            errors.Add("customerId", "Is required.");
        }

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        if (request.CustomerId is { } customerId && !await db.Set<Customer>().AnyAsync(c => c.Id == customerId, cancellationToken))
        {
            errors.Add("customerId", "No customer with this id exists, or it is not yours to see.");
        }

        await related.CheckAsync(db, request.RelatedType, request.RelatedId, errors, cancellationToken);

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        var note = new Note
        {
            CustomerId = request.CustomerId!.Value,
            Title = title,
            Content = content!,
            IsPinned = request.IsPinned ?? false,
            Visibility = request.Visibility ?? NoteVisibility.Team,
            RelatedType = request.RelatedType,
            RelatedId = request.RelatedId,
            CreatedBy = db.Operation.ActorId,
        };
        db.Add(note);
        db.Publish("note.created", NoteMapping.Subject(note), note.ToEvent);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Result.Ok(note.ToResponse(), note.Version);
    }
}
