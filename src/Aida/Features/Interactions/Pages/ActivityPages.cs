using Aida.Features.Customers;
using Aida.Features.Customers.Contacts;
using Aida.Features.Customers.Pages;
using Aida.Features.Interactions.Activities;

namespace Aida.Features.Interactions.Pages;

/// <summary>
/// ActivityForm (WF-IT-003: schedule a follow-up, pre-filled from an interaction), MyActivities (overdue,
/// today, upcoming, each with quick complete) and an activity's own page (complete with how it went,
/// reschedule, cancel).
/// </summary>
public static class ActivityPages
{
    /// <summary>How long before the due time the reminder fires; the form offers these rather than a second date.</summary>
    public static readonly (string Value, string Text, TimeSpan? Before)[] ReminderChoices =
    [
        ("", "No reminder", null),
        ("0", "At the due time", TimeSpan.Zero),
        ("15", "15 minutes before", TimeSpan.FromMinutes(15)),
        ("60", "1 hour before", TimeSpan.FromHours(1)),
        ("1440", "1 day before", TimeSpan.FromDays(1)),
    ];

    /// <summary>The actor's open activities by due window; managers and admins may look at a teammate's, or everyone's (<paramref name="assignee"/>).</summary>
    public static async Task<IResult> MyActivities(HttpContext http, AidaDb db, string? assignee, CancellationToken cancellationToken)
    {
        var whose = assignee is "anyone" || Guid.TryParse(assignee, out _) ? assignee : "me";
        var sections = new List<(DueWindow Window, IReadOnlyList<ActivityResponse> Items, string? More)>();
        foreach (var window in Enum.GetValues<DueWindow>())
        {
            var page = (await ListActivities.RunAsync(whose, null, null, EnumText<DueWindow>.ToText(window), 100, null, db, cancellationToken)).Value;
            sections.Add((window, page?.Items ?? [], page?.NextCursor));
        }

        var customerIds = sections.SelectMany(s => s.Items).Select(a => a.CustomerId).OfType<Guid>().ToHashSet();
        return Html.Page<MyActivitiesPage>(new
        {
            Context = UiContext.For(http),
            Sections = sections,
            Customers = await CustomerPages.NamesAsync(db, customerIds, cancellationToken),
            Users = await UserDirectory.LoadAsync(db, cancellationToken),
            Whose = whose,
        });
    }

    public static async Task<IResult> New(Guid customerId, HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        var form = await FormAsync(db, customerId, http, cancellationToken);
        if (form is null)
        {
            return Html.NotFound(http, "customer");
        }

        var ui = UiContext.For(http);
        var now = db.Clock.UtcNow();
        var tomorrow = FollowUpDraft.DueOn(FollowUpDraft.Today(now, ui.Zone).AddDays(1), now, ui.Zone);
        return Render(http, form with
        {
            Values = new FormValues(new Dictionary<string, string?>
            {
                ["activityType"] = "task",
                ["dueDate"] = ui.InputTime(tomorrow),
                ["priority"] = "normal",
                ["assignedTo"] = db.Operation.ActorId.ToString(),
            }),
        });
    }

    /// <summary>WF-IT-003 steps 1-5: the draft the API's follow-up endpoint makes, in the form, to check and save.</summary>
    public static async Task<IResult> FollowUp(Guid interactionId, HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        var draft = (await FollowUpDraft.RunAsync(interactionId, db, cancellationToken)).Value;
        var form = draft is null ? null : await FormAsync(db, draft.CustomerId, http, cancellationToken);
        if (draft is null || form is null)
        {
            return Html.NotFound(http, "interaction");
        }

        var ui = UiContext.For(http);
        return Render(http, form with
        {
            Values = new FormValues(new Dictionary<string, string?>
            {
                ["activityType"] = EnumText<ActivityType>.ToText(draft.ActivityType),
                ["subject"] = draft.Subject,
                ["description"] = draft.Description,
                ["dueDate"] = ui.InputTime(draft.DueDate),
                ["priority"] = "normal",
                ["assignedTo"] = draft.AssignedTo.ToString(),
                ["contactId"] = draft.ContactId?.ToString(),
                ["sourceInteractionId"] = draft.SourceInteractionId.ToString(),
            }),
            DetectedPhrase = draft.DetectedPhrase,
            IsFollowUp = true,
        });
    }

    public static async Task<IResult> Create(Guid customerId, HttpContext http, AidaDb db, IFormCollection posted, CancellationToken cancellationToken)
    {
        var form = await FormAsync(db, customerId, http, cancellationToken);
        if (form is null)
        {
            return Html.NotFound(http, "customer");
        }

        var values = new FormValues(posted);
        var zone = UiContext.For(http).Zone;
        var due = values.LocalTime("dueDate", zone);
        var reminder = ReminderChoices.FirstOrDefault(r => r.Value == (values.Text("reminder") ?? "")).Before is { } before && due is { } d ? d - before : (DateTimeOffset?)null;
        var request = new CreateActivity.Request(customerId, values.Id("contactId"), values.Enum<ActivityType>("activityType"), values.Text("subject"),
            values.Text("description"), due, reminder, values.Enum<ActivityPriority>("priority"), values.Id("assignedTo"), values.Id("sourceInteractionId"));
        var rendered = form with { Values = values, IsFollowUp = values.Text("sourceInteractionId") is not null };
        if (values.Errors.Any)
        {
            return Render(http, rendered with { Errors = values.OwnErrors }, StatusCodes.Status400BadRequest);
        }

        var result = await CreateActivity.RunAsync(request, db, cancellationToken);
        if (!result.Succeeded)
        {
            return Render(http, rendered with { Errors = values.With(result.Failure.FieldErrors) }, result.Failure.StatusCode);
        }

        var when = UiContext.For(http).Time(result.Value.DueDate);
        return Html.Done(http, $"/customers/{customerId}?tab=timeline", $"“{result.Value.Subject}” is scheduled for {when}; it is in My activities.");
    }

    public static async Task<IResult> Show(Guid id, HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        var activity = (await GetActivity.RunAsync(id, db, cancellationToken)).Value;
        if (activity is null)
        {
            return Html.NotFound(http, "activity");
        }

        var customer = activity.CustomerId is { } customerId ? await CustomerPages.FindAsync(db, customerId, cancellationToken) : null;
        var users = await UserDirectory.LoadAsync(db, cancellationToken);
        return Html.Page<ActivityPage>(new { Context = UiContext.For(http), Activity = activity, Customer = customer, Users = users });
    }

    public static async Task<IResult> Complete(Guid id, HttpContext http, AidaDb db, IFormCollection posted, CancellationToken cancellationToken)
    {
        var values = new FormValues(posted);
        var request = new CompleteActivity.Request(values.Enum<InteractionOutcome>("outcome"), values.Enum<Sentiment>("sentiment"), values.Text("notes"),
            values.WholeNumber("durationMinutes"), null, null);
        var back = values.Text("returnTo") is "activity" ? $"/activities/{id}" : "/activities";
        if (values.Errors.Any)
        {
            Flash.Set(http, FlashKind.Error, "Nothing was changed: " + string.Join(" ", values.OwnErrors.SelectMany(e => e.Value)));
            return TypedResults.Redirect(back);
        }

        var result = await CompleteActivity.RunAsync(id, request, values.IfMatch ?? "", db, cancellationToken);
        var done = result.Value?.Interaction is not null ? "Done. Its result is logged in the customer's timeline." : "Done.";
        return Html.Finish(http, result.Failure, back, done);
    }

    /// <summary>A new due date (the reminder keeps its lead time), or a status change: in progress, back to pending, cancelled.</summary>
    public static async Task<IResult> Reschedule(Guid id, HttpContext http, AidaDb db, IFormCollection posted, CancellationToken cancellationToken)
    {
        var values = new FormValues(posted);
        var due = values.LocalTime("dueDate", UiContext.For(http).Zone);
        var status = values.Enum<ActivityStatus>("status");
        if (values.Errors.Any || (due is null && status is null))
        {
            Flash.Set(http, FlashKind.Error, values.Errors.Any ? "Nothing was changed: " + string.Join(" ", values.OwnErrors.SelectMany(e => e.Value)) : "Choose a new due date.");
            return TypedResults.Redirect($"/activities/{id}");
        }

        var current = (await GetActivity.RunAsync(id, db, cancellationToken)).Value;
        if (current is null)
        {
            return Html.NotFound(http, "activity");
        }

        var reminder = default(Optional<DateTimeOffset?>);
        if (due is { } newDue && current.ReminderAt is { } oldReminder)
        {
            reminder = (DateTimeOffset?)(newDue - (current.DueDate - oldReminder));
        }

        var request = new UpdateActivity.Request(default, default, default,
            due is { } d ? d : default(Optional<DateTimeOffset>), reminder, default,
            status is { } s ? s : default(Optional<ActivityStatus>), default);
        var result = await UpdateActivity.RunAsync(id, request, values.IfMatch ?? "", db, cancellationToken);
        var done = status switch
        {
            ActivityStatus.Cancelled => "The activity was cancelled.",
            ActivityStatus.InProgress => "The activity is in progress.",
            _ => "The activity was rescheduled.",
        };
        return Html.Finish(http, result.Failure, $"/activities/{id}", done);
    }

    public sealed record ActivityForm(CustomerResponse Customer, IReadOnlyList<ContactResponse> Contacts, UserDirectory Users, FormValues Values,
        IReadOnlyDictionary<string, string[]>? Errors = null, string? DetectedPhrase = null, bool IsFollowUp = false);

    private static async Task<ActivityForm?> FormAsync(AidaDb db, Guid customerId, HttpContext http, CancellationToken cancellationToken)
    {
        var customer = await CustomerPages.FindAsync(db, customerId, cancellationToken);
        if (customer is null)
        {
            return null;
        }

        var contacts = await db.Set<Contact>().AsNoTracking().Where(c => c.CustomerId == customerId)
            .OrderByDescending(c => c.IsPrimary).ThenBy(c => c.LastName).Take(200).Select(c => c.ToResponse()).ToListAsync(cancellationToken);
        return new ActivityForm(customer, contacts, await UserDirectory.LoadAsync(db, cancellationToken), new FormValues(new Dictionary<string, string?>()));
    }

    private static IResult Render(HttpContext http, ActivityForm form, int status = StatusCodes.Status200OK) =>
        Html.Page<ActivityFormPage>(new { Context = UiContext.For(http), Form = form }, status);

    public static string Due(UiContext context, ActivityResponse activity) =>
        context.Time(activity.DueDate) + (activity.Overdue ? " (overdue)" : "");
}
