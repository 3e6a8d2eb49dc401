using Aida.Platform.Auth;
using Aida.Platform.Data;
using Aida.Platform.Events;
using Aida.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Aida.Features.Interactions.Notes;

public static class GetNote
{
    public static async Task<Results<Ok<NoteResponse>, ProblemHttpResult>> Handle(Guid id, AidaDb db, HttpResponse response, CancellationToken cancellationToken)
    {
        var note = await db.Set<Note>().AsNoTracking().FirstOrDefaultAsync(n => n.Id == id, cancellationToken);
        if (note is null)
        {
            return Problems.NotFound("note");
        }

        ETags.Set(response, note.Version);
        return TypedResults.Ok(note.ToResponse());
    }
}

/// <summary>A customer's notes the actor may read: pinned first, then newest first.</summary>
public static class ListNotes
{
    public static async Task<Results<Ok<Page<NoteResponse>>, ValidationProblem>> Handle(
        Guid? customerId, int? limit, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var take = Paging.Limit(limit, errors);
        if (customerId is null)
        {
            errors.Add("customerId", "Is required: notes are listed per customer.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var notes = await db.Set<Note>().AsNoTracking().Where(n => n.CustomerId == customerId)
            .OrderByDescending(n => n.IsPinned).ThenByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id)
            .Take(take).ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<NoteResponse>(notes.Select(n => n.ToResponse()).ToList(), null));
    }
}

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
        if (IfMatch.Parse(ifMatch) is not { IsValid: true } precondition)
        {
            return Problems.InvalidIfMatch();
        }

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var found = await db.Set<Note>().Where(n => n.Id == id).FindForChangeAsync(precondition, "note", cancellationToken);
        if (found.Failed)
        {
            return found.Problem;
        }

        var note = found.Record;
        if (!NoteRules.MayEdit(db, note) && (request.Title.IsSet || request.Content.IsSet || request.Visibility.IsSet))
        {
            return Problems.Forbidden("content", "Only the note's author can change its title, text or visibility; others can pin or unpin it.");
        }

        var errors = new ValidationErrors();
        var title = request.Title.IsSet ? errors.OptionalText("title", request.Title.Value, Note.TitleMaxLength) : note.Title;
        var content = request.Content.IsSet ? NoteRules.Content(errors, request.Content.Value) : note.Content;
        if (errors.Any)
        {
            return errors.ToProblem();
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
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        ETags.Set(response, note.Version);
        if (NoteMapping.PiiWarning(note) is { } warning)
        {
            response.Headers["Aida-Warning"] = warning;
        }

        return TypedResults.Ok(note.ToResponse());
    }
}

public static class DeleteNote
{
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, [FromHeader(Name = "If-Match")] string? ifMatch, AidaDb db, CancellationToken cancellationToken)
    {
        var author = await db.Set<Note>().Where(n => n.Id == id).Select(n => (Guid?)n.CreatedBy).FirstOrDefaultAsync(cancellationToken);
        if (author is not null && author != db.Operation.ActorId && !db.Operation.Access.Can(Permissions.CustomersDelete))
        {
            return Problems.Forbidden("id", "Only the note's author, or someone allowed to delete customer records, can delete it.");
        }

        return (await db.SoftDeleteAsync(db.Set<Note>().Where(n => n.Id == id), ifMatch, "note", "note.deleted", NoteMapping.Subject,
            n => n.ToEvent(), cancellationToken)).ToNoContent();
    }
}
