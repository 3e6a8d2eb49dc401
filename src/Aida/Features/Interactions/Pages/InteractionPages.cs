using Aida.Features.Customers;
using Aida.Features.Customers.Contacts;
using Aida.Features.Customers.Pages;
using Aida.Features.Interactions.Activities;
using Aida.Features.Interactions.Communications;

namespace Aida.Features.Interactions.Pages;

/// <summary>
/// InteractionForm (WF-IT-001): log an interaction from a customer, the one-click "Call completed",
/// correct or delete one, and the interaction's own page (with its message, when it came by email, and
/// "Schedule follow-up"). Every save goes through the API's use cases.
/// </summary>
public static class InteractionPages
{
    public static async Task<IResult> New(Guid customerId, HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        var ui = UiContext.For(http);
        var form = await FormAsync(db, customerId, http, cancellationToken);
        if (form is null)
        {
            return Html.NotFound(http, "customer");
        }

        var values = new FormValues(new Dictionary<string, string?>
        {
            ["interactionType"] = "call",
            ["direction"] = "outbound",
            ["occurredAt"] = ui.InputTime(db.Clock.UtcNow()),
        });
        return Render(http, form with { Values = values });
    }

    public static async Task<IResult> Create(
        Guid customerId, HttpContext http, AidaDb db, [FromServices] RelatedRecords related, IFormCollection posted, CancellationToken cancellationToken)
    {
        var form = await FormAsync(db, customerId, http, cancellationToken);
        if (form is null)
        {
            return Html.NotFound(http, "customer");
        }

        var values = new FormValues(posted);
        var request = RequestOf(values, customerId, UiContext.For(http).Zone);
        if (values.Errors.Any)
        {
            return Render(http, form with { Values = values, Errors = values.OwnErrors }, StatusCodes.Status400BadRequest);
        }

        var result = await LogInteraction.RunAsync(request, db, related, cancellationToken);
        return result.Failure switch
        {
            null => Html.Done(http, $"/interactions/{result.Value!.Interaction.Id}", "The interaction was logged." + Backdated(result.Value.Interaction)),
            var failure => Render(http, form with { Values = values, Errors = values.With(failure.FieldErrors) }, failure.StatusCode),
        };
    }

    /// <summary>The quick-log variant: a call, outbound, now, with whoever was picked and what was said.</summary>
    public static async Task<IResult> CallCompleted(
        Guid customerId, HttpContext http, AidaDb db, [FromServices] RelatedRecords related, IFormCollection posted, CancellationToken cancellationToken)
    {
        var values = new FormValues(posted);
        var request = new LogInteraction.Request(customerId, values.Id("contactId"), InteractionType.Call, Direction.Outbound,
            "Call completed", values.Text("notes"), null, null, values.Enum<InteractionOutcome>("outcome") ?? InteractionOutcome.Successful,
            null, InteractionSource.Manual, null, null, null);
        if (values.Errors.Any)
        {
            Flash.Set(http, FlashKind.Error, "Nothing was logged: " + string.Join(" ", values.OwnErrors.SelectMany(e => e.Value)));
            return TypedResults.Redirect($"/customers/{customerId}?tab=timeline");
        }

        var result = await LogInteraction.RunAsync(request, db, related, cancellationToken);
        if (result.Failure is Failure.NotFound || result.Failure?.FieldErrors.ContainsKey("customerId") == true)
        {
            return Html.NotFound(http, "customer");
        }

        return Html.Finish(http, result.Failure, $"/customers/{customerId}?tab=timeline",
            "The call was logged. Schedule a follow-up from it in the timeline if one is needed.");
    }

    public static async Task<IResult> Show(Guid id, HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        var interaction = (await GetInteraction.RunAsync(id, db, cancellationToken)).Value;
        var customer = interaction is null ? null : await CustomerPages.FindAsync(db, interaction.CustomerId, cancellationToken);
        if (interaction is null || customer is null)
        {
            return Html.NotFound(http, "interaction");
        }

        var contact = interaction.ContactId is { } contactId
            ? await db.Set<Contact>().AsNoTracking().Where(c => c.Id == contactId).Select(c => c.FirstName + " " + c.LastName).FirstOrDefaultAsync(cancellationToken)
            : null;
        var message = await db.Set<Communication>().AsNoTracking().Where(c => c.InteractionId == id).FirstOrDefaultAsync(cancellationToken);
        var thread = message is null
            ? []
            : await db.Set<Communication>().AsNoTracking().Where(c => c.ThreadId == message.ThreadId)
                .OrderBy(c => c.SentAt).Take(GetThread.MaxMessages).Select(c => new ThreadMessage(c.Id, c.FromAddress, c.Subject, c.SentAt, c.InteractionId)).ToListAsync(cancellationToken);
        var users = await Platform.Auth.UserDirectory.LoadAsync(db, cancellationToken);
        return Html.Page<InteractionPage>(new
        {
            Context = UiContext.For(http),
            Interaction = interaction,
            Customer = customer,
            ContactName = contact,
            Message = message?.ToResponse(),
            Thread = thread,
            LoggedBy = users.NameOf(interaction.CreatedBy),
        });
    }

    public static async Task<IResult> Edit(Guid id, HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        var interaction = (await GetInteraction.RunAsync(id, db, cancellationToken)).Value;
        var form = interaction is null ? null : await FormAsync(db, interaction.CustomerId, http, cancellationToken);
        return interaction is null || form is null
            ? Html.NotFound(http, "interaction")
            : Render(http, form with { Values = ValuesOf(interaction, UiContext.For(http)), Existing = interaction });
    }

    public static async Task<IResult> Update(
        Guid id, HttpContext http, AidaDb db, [FromServices] RelatedRecords related, IFormCollection posted, CancellationToken cancellationToken)
    {
        var values = new FormValues(posted);
        var zone = UiContext.For(http).Zone;
        var fields = RequestOf(values, null, zone);
        var request = new UpdateInteraction.Request(
            fields.ContactId, fields.InteractionType is { } type ? type : default(Optional<InteractionType>),
            fields.Direction is { } direction ? direction : default(Optional<Direction>), fields.Subject, fields.Description,
            fields.OccurredAt is { } occurred ? occurred : default(Optional<DateTimeOffset>), fields.DurationMinutes, fields.Outcome, fields.Sentiment,
            fields.RelatedType, fields.RelatedId);
        Failure? failed = null;
        if (!values.Errors.Any)
        {
            var result = await UpdateInteraction.RunAsync(id, request, values.IfMatch ?? "", db, related, cancellationToken);
            if (result.Succeeded)
            {
                return Html.Done(http, $"/interactions/{id}", "The interaction was saved.");
            }

            failed = result.Failure;
        }

        var stored = (await GetInteraction.RunAsync(id, db, cancellationToken)).Value;
        var form = stored is null ? null : await FormAsync(db, stored.CustomerId, http, cancellationToken);
        if (stored is null || form is null)
        {
            return Html.NotFound(http, "interaction");
        }

        if (failed is Failure.Stale)
        {
            return Render(http, form with
            {
                Values = values.Restamped(stored.Version),
                Errors = new Dictionary<string, string[]> { [""] = ["Someone else changed this interaction while you were editing it. Save again to apply what you entered, or cancel."] },
                Existing = stored,
            }, StatusCodes.Status412PreconditionFailed);
        }

        return Render(http, form with { Values = values, Errors = failed is null ? values.OwnErrors : values.With(failed.FieldErrors), Existing = stored },
            failed?.StatusCode ?? StatusCodes.Status400BadRequest);
    }

    public static async Task<IResult> Delete(Guid id, HttpContext http, AidaDb db, IFormCollection posted, CancellationToken cancellationToken)
    {
        var values = new FormValues(posted);
        var customerId = await db.Set<Interaction>().Where(i => i.Id == id).Select(i => (Guid?)i.CustomerId).FirstOrDefaultAsync(cancellationToken);
        if (customerId is null)
        {
            return Html.NotFound(http, "interaction");
        }

        var result = await DeleteInteraction.RunAsync(id, values.IfMatch ?? "", db, cancellationToken);
        if (result.Failure is Failure.Forbidden forbidden)
        {
            return Html.Forbidden(http, forbidden.Detail);
        }

        return Html.Finish(http, result.Failure, $"/customers/{customerId}?tab=timeline", "The interaction was deleted.", failedUrl: $"/interactions/{id}");
    }

    public sealed record ThreadMessage(Guid Id, string From, string? Subject, DateTime SentAt, Guid? InteractionId);

    public sealed record InteractionForm(CustomerResponse Customer, IReadOnlyList<ContactResponse> Contacts, FormValues Values,
        IReadOnlyDictionary<string, string[]>? Errors = null, InteractionResponse? Existing = null);

    private static async Task<InteractionForm?> FormAsync(AidaDb db, Guid customerId, HttpContext http, CancellationToken cancellationToken)
    {
        var customer = await CustomerPages.FindAsync(db, customerId, cancellationToken);
        if (customer is null)
        {
            return null;
        }

        var contacts = await db.Set<Contact>().AsNoTracking().Where(c => c.CustomerId == customerId)
            .OrderByDescending(c => c.IsPrimary).ThenBy(c => c.LastName).Take(200).Select(c => c.ToResponse()).ToListAsync(cancellationToken);
        return new InteractionForm(customer, contacts, new FormValues(new Dictionary<string, string?>()));
    }

    private static IResult Render(HttpContext http, InteractionForm form, int status = StatusCodes.Status200OK) =>
        Html.Page<InteractionFormPage>(new { Context = UiContext.For(http), Form = form }, status);

    private static LogInteraction.Request RequestOf(FormValues values, Guid? customerId, TimeZoneInfo zone) => new(
        customerId,
        values.Id("contactId"),
        values.Enum<InteractionType>("interactionType"),
        values.Enum<Direction>("direction"),
        values.Text("subject"),
        values.Text("description"),
        values.LocalTime("occurredAt", zone),
        values.WholeNumber("durationMinutes"),
        values.Enum<InteractionOutcome>("outcome"),
        values.Enum<Sentiment>("sentiment"),
        InteractionSource.Manual,
        null,
        values.Enum<RelatedRecordType>("relatedType"),
        values.Id("relatedId"));

    private static FormValues ValuesOf(InteractionResponse i, UiContext ui) => new(new Dictionary<string, string?>
    {
        ["contactId"] = i.ContactId?.ToString(),
        ["interactionType"] = EnumText<InteractionType>.ToText(i.InteractionType),
        ["direction"] = EnumText<Direction>.ToText(i.Direction),
        ["subject"] = i.Subject,
        ["description"] = i.Description,
        ["occurredAt"] = ui.InputTime(i.OccurredAt),
        ["durationMinutes"] = i.DurationMinutes?.ToString(CultureInfo.InvariantCulture),
        ["outcome"] = i.Outcome is { } o ? EnumText<InteractionOutcome>.ToText(o) : null,
        ["sentiment"] = i.Sentiment is { } s ? EnumText<Sentiment>.ToText(s) : null,
        ["relatedType"] = i.RelatedType is { } r ? EnumText<RelatedRecordType>.ToText(r) : null,
        ["relatedId"] = i.RelatedId?.ToString(),
        ["version"] = i.Version.ToString(CultureInfo.InvariantCulture),
    });

    private static string Backdated(InteractionResponse i) =>
        i.Backdated ? " It happened more than 30 days ago, so it is marked as backdated." : "";
}
