using Aida.Features.Customers;
using Aida.Features.Customers.Pages;
using Aida.Features.Interactions.Notes;

namespace Aida.Features.Interactions.Pages;

/// <summary>NoteEditor: write or edit a Markdown note, choose who may read it, pin it; pin and unpin from the timeline.</summary>
public static class NotePages
{
    public static async Task<IResult> New(Guid customerId, HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        var customer = await CustomerPages.FindAsync(db, customerId, cancellationToken);
        return customer is null
            ? Html.NotFound(http, "customer")
            : Render(http, customer, new FormValues(new Dictionary<string, string?> { ["visibility"] = "team" }), null, null);
    }

    public static async Task<IResult> Create(
        Guid customerId, HttpContext http, AidaDb db, [FromServices] RelatedRecords related, IFormCollection posted, CancellationToken cancellationToken)
    {
        var customer = await CustomerPages.FindAsync(db, customerId, cancellationToken);
        if (customer is null)
        {
            return Html.NotFound(http, "customer");
        }

        var values = new FormValues(posted);
        var request = new CreateNote.Request(customerId, values.Text("title"), values.Text("content"), values.Flag("isPinned"),
            values.Enum<NoteVisibility>("visibility"), null, null);
        if (values.Errors.Any)
        {
            return Render(http, customer, values, values.OwnErrors, null, StatusCodes.Status400BadRequest);
        }

        var result = await CreateNote.RunAsync(request, db, related, cancellationToken);
        return result.Failure switch
        {
            null => Saved(http, customerId, result.Value!, "The note was added."),
            var failure => Render(http, customer, values, values.With(failure.FieldErrors), null, failure.StatusCode),
        };
    }

    /// <summary>A note's address: its day on the customer's timeline, however old it is.</summary>
    public static async Task<IResult> Show(Guid id, HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        var note = (await GetNote.RunAsync(id, db, cancellationToken)).Value;
        if (note is null)
        {
            return Html.NotFound(http, "note");
        }

        var day = UiContext.For(http).Day(note.CreatedAt).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return TypedResults.Redirect($"/customers/{note.CustomerId}?tab=timeline&types=note&from={day}&to={day}#entry-{note.Id}");
    }

    public static async Task<IResult> Edit(Guid id, HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        var note = (await GetNote.RunAsync(id, db, cancellationToken)).Value;
        var customer = note is null ? null : await CustomerPages.FindAsync(db, note.CustomerId, cancellationToken);
        if (note is null || customer is null)
        {
            return Html.NotFound(http, "note");
        }

        return note.CreatedBy != db.Operation.ActorId
            ? Html.Forbidden(http, "Only the note's author can edit it.")
            : Render(http, customer, ValuesOf(note), null, note);
    }

    public static async Task<IResult> Update(Guid id, HttpContext http, AidaDb db, IFormCollection posted, CancellationToken cancellationToken)
    {
        var values = new FormValues(posted);
        var request = new UpdateNote.Request(values.Text("title"), values.Text("content"), values.Flag("isPinned"),
            values.Enum<NoteVisibility>("visibility") is { } visibility ? visibility : default(Optional<NoteVisibility>));
        Failure? failed = null;
        if (!values.Errors.Any)
        {
            var result = await UpdateNote.RunAsync(id, request, values.IfMatch ?? "", db, cancellationToken);
            switch (result.Failure)
            {
                case null:
                    return Saved(http, result.Value!.CustomerId, result.Value, "The note was saved.");
                case Failure.Forbidden forbidden:
                    return Html.Forbidden(http, forbidden.Detail);
            }

            failed = result.Failure;
        }

        var stored = (await GetNote.RunAsync(id, db, cancellationToken)).Value;
        var customer = stored is null ? null : await CustomerPages.FindAsync(db, stored.CustomerId, cancellationToken);
        if (stored is null || customer is null)
        {
            return Html.NotFound(http, "note");
        }

        return failed is Failure.Stale
            ? Render(http, customer, values.Restamped(stored.Version),
                new Dictionary<string, string[]> { [""] = ["This note was changed while you were editing it (it may have been pinned). Save again to apply your text, or cancel."] },
                stored, StatusCodes.Status412PreconditionFailed)
            : Render(http, customer, values, failed is null ? values.OwnErrors : values.With(failed.FieldErrors), stored, failed?.StatusCode ?? StatusCodes.Status400BadRequest);
    }

    public static async Task<IResult> Pin(Guid id, HttpContext http, AidaDb db, IFormCollection posted, CancellationToken cancellationToken)
    {
        var values = new FormValues(posted);
        var note = (await GetNote.RunAsync(id, db, cancellationToken)).Value;
        if (note is null)
        {
            return Html.NotFound(http, "note");
        }

        // The version shown on the timeline is not sent: pinning is idempotent, and a concurrent edit of the text is kept.
        var pinned = values.Flag("pinned");
        var result = await UpdateNote.RunAsync(id, new UpdateNote.Request(default, default, pinned, default), "", db, cancellationToken);
        return Html.Finish(http, result.Failure, $"/customers/{note.CustomerId}?tab=timeline", pinned ? "The note is pinned to the top of the timeline." : "The note is no longer pinned.");
    }

    public static async Task<IResult> Delete(Guid id, HttpContext http, AidaDb db, IFormCollection posted, CancellationToken cancellationToken)
    {
        var values = new FormValues(posted);
        var note = (await GetNote.RunAsync(id, db, cancellationToken)).Value;
        if (note is null)
        {
            return Html.NotFound(http, "note");
        }

        var result = await DeleteNote.RunAsync(id, values.IfMatch ?? "", db, cancellationToken);
        if (result.Failure is Failure.Forbidden forbidden)
        {
            return Html.Forbidden(http, forbidden.Detail);
        }

        return Html.Finish(http, result.Failure, $"/customers/{note.CustomerId}?tab=timeline", "The note was deleted.", failedUrl: $"/notes/{id}/edit");
    }

    /// <summary>A note that looks like it holds a card or id number is saved, and the writer is told plainly (never with the number).</summary>
    private static IResult Saved(HttpContext http, Guid customerId, NoteResponse note, string done)
    {
        var url = $"/customers/{customerId}?tab=timeline#entry-{note.Id}";
        if (!note.PiiReview)
        {
            return Html.Done(http, url, done);
        }

        Flash.Set(http, FlashKind.Error, done + " Warning: " + note.PiiWarning());
        return TypedResults.Redirect(url);
    }

    private static FormValues ValuesOf(NoteResponse n) => new(new Dictionary<string, string?>
    {
        ["title"] = n.Title,
        ["content"] = n.Content,
        ["isPinned"] = n.IsPinned ? "true" : null,
        ["visibility"] = EnumText<NoteVisibility>.ToText(n.Visibility),
        ["version"] = n.Version.ToString(CultureInfo.InvariantCulture),
    });

    private static IResult Render(HttpContext http, CustomerResponse customer, FormValues values, IReadOnlyDictionary<string, string[]>? errors, NoteResponse? existing,
        int status = StatusCodes.Status200OK) =>
        Html.Page<NoteEditorPage>(new { Context = UiContext.For(http), Customer = customer, Values = values, Errors = errors, Existing = existing }, status);
}
