using Aida.Features.Interactions;

namespace Aida.Features.Leads.Pages;

/// <summary>
/// The lead's page (<c>/leads/{id}</c>): everything about it, the score with its breakdown, why it was
/// routed where it was, its touches with a form to log one, and the qualify, disqualify, lose, reopen and
/// follow-up forms. Every form posts to a page endpoint that calls the API's use case, so the same rules
/// hold; a refused form is shown again with what was typed and the errors beside the fields.
/// </summary>
public static class LeadDetailPages
{
    public const int TouchesShown = 50;

    /// <summary>What the page shows, and, after a refused form, what was typed and what was wrong.</summary>
    public sealed record LeadView(
        LeadResponse Lead,
        IReadOnlyList<LeadInteractionResponse> Touches,
        UserDirectory Users,
        int Threshold,
        FormValues Values,
        IReadOnlyDictionary<string, string[]>? Errors = null)
    {
        /// <summary>Merges into this lead that can still be undone, newest first, with the names of the leads folded in.</summary>
        public IReadOnlyList<(LeadMergeResponse Merge, string Names)> Merges { get; init; } = [];
    }

    public static async Task<IResult> Show(Guid id, HttpContext http, AidaDb db, CancellationToken cancellationToken) =>
        await RenderAsync(http, db, id, Defaults(http, db), null, StatusCodes.Status200OK, cancellationToken);

    public static async Task<IResult> LogTouch(Guid id, HttpContext http, AidaDb db, IFormCollection posted, CancellationToken cancellationToken)
    {
        var values = new FormValues(posted);
        var request = new LeadInteractionRequest(
            values.Enum<InteractionType>("interactionType"),
            values.Enum<Direction>("direction"),
            values.Text("subject"),
            values.Text("description"),
            values.LocalTime("occurredAt", UiContext.For(http).Zone),
            values.Enum<InteractionOutcome>("outcome"));
        if (values.Errors.Any)
        {
            return await RenderAsync(http, db, id, values, values.OwnErrors, StatusCodes.Status400BadRequest, cancellationToken);
        }

        var result = await LogLeadInteraction.RunAsync(id, request, db, cancellationToken);
        if (result.Succeeded)
        {
            var lead = result.Value.Lead;
            var extra = lead.Status == LeadStatus.Unresponsive ? $" That was follow-up {lead.FollowUpCount} with no answer: the lead is now unresponsive." : "";
            return Html.Done(http, $"/leads/{id}", "The touch was logged." + extra);
        }

        return await FailedAsync(http, db, id, values, result.Failure, null, cancellationToken);
    }

    public static async Task<IResult> Qualify(Guid id, HttpContext http, AidaDb db, IFormCollection posted, CancellationToken cancellationToken)
    {
        var values = new FormValues(posted);
        var result = await QualifyLead.RunAsync(id, new LeadStates.ReasonRequest(values.Text("qualifyReason")), values.IfMatch, db, cancellationToken);
        return result.Failure is null
            ? Html.Done(http, $"/leads/{id}", "The lead is qualified.")
            : await FailedAsync(http, db, id, values, result.Failure, "qualifyReason", cancellationToken);
    }

    public static async Task<IResult> Disqualify(Guid id, HttpContext http, AidaDb db, IFormCollection posted, CancellationToken cancellationToken)
    {
        var values = new FormValues(posted);
        var result = await DisqualifyLead.RunAsync(id, new LeadStates.ReasonRequest(values.Text("disqualifyReason")), values.IfMatch, db, cancellationToken);
        return result.Failure is null
            ? Html.Done(http, $"/leads/{id}", "The lead is disqualified.")
            : await FailedAsync(http, db, id, values, result.Failure, "disqualifyReason", cancellationToken);
    }

    public static async Task<IResult> Lose(Guid id, HttpContext http, AidaDb db, IFormCollection posted, CancellationToken cancellationToken)
    {
        var values = new FormValues(posted);
        var result = await LoseLead.RunAsync(id, new LeadStates.ReasonRequest(values.Text("lostReason")), values.IfMatch, db, cancellationToken);
        return result.Failure is null
            ? Html.Done(http, $"/leads/{id}", "The lead is marked as lost.")
            : await FailedAsync(http, db, id, values, result.Failure, "lostReason", cancellationToken);
    }

    public static async Task<IResult> Reopen(Guid id, HttpContext http, AidaDb db, IFormCollection posted, CancellationToken cancellationToken)
    {
        var values = new FormValues(posted);
        var result = await ReopenLead.RunAsync(id, values.IfMatch, db, cancellationToken);
        return result.Failure is null
            ? Html.Done(http, $"/leads/{id}", "The lead is open again.")
            : await FailedAsync(http, db, id, values, result.Failure, null, cancellationToken);
    }

    public static async Task<IResult> ScheduleFollowUp(Guid id, HttpContext http, AidaDb db, IFormCollection posted, CancellationToken cancellationToken)
    {
        var values = new FormValues(posted);
        var at = values.LocalTime("followUpAt", UiContext.For(http).Zone);
        if (values.Errors.Any)
        {
            return await RenderAsync(http, db, id, values, values.OwnErrors, StatusCodes.Status400BadRequest, cancellationToken);
        }

        var result = await ScheduleLeadFollowUp.RunAsync(id, new ScheduleLeadFollowUp.Request(at), values.IfMatch, db, cancellationToken);
        return result.Failure is null
            ? Html.Done(http, $"/leads/{id}", "The follow-up is scheduled.")
            : await FailedAsync(http, db, id, values, result.Failure, "followUpAt", cancellationToken);
    }

    /// <summary>
    /// A refused form, shown again. The use cases name the API's fields; <paramref name="reasonField"/> is the
    /// form's own name for "reason" or "at" (each form on the page has its own, so element ids stay unique).
    /// </summary>
    private static async Task<IResult> FailedAsync(
        HttpContext http, AidaDb db, Guid id, FormValues values, Failure failure, string? reasonField, CancellationToken cancellationToken)
    {
        if (failure is Failure.NotFound)
        {
            return Html.NotFound(http, "lead");
        }

        var stale = failure is Failure.Stale;
        var errors = stale
            ? new Dictionary<string, string[]> { [""] = ["Someone else changed this lead meanwhile. Here it is as it is now; try again."] }
            : failure.FieldErrors
                .GroupBy(e => reasonField is not null && e.Key is "reason" or "at" ? reasonField : e.Key == "status" ? "" : e.Key)
                .ToDictionary(g => g.Key, g => g.SelectMany(e => e.Value).ToArray());
        db.ChangeTracker.Clear();
        return await RenderAsync(http, db, id, stale ? Defaults(http, db) : values, errors, failure.StatusCode, cancellationToken);
    }

    /// <summary>Undoes a merge into this lead (<see cref="UndoLeadMerge"/>).</summary>
    public static async Task<IResult> UndoMerge(Guid id, Guid mergeId, HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        var result = await UndoLeadMerge.RunAsync(mergeId, db, cancellationToken);
        return result.Failure is Failure.NotFound
            ? Html.NotFound(http, "lead merge")
            : Html.Finish(http, result.Failure, $"/leads/{id}",
                result.Value is { } undone ? $"Merge undone: {undone.RestoredLeadIds.Count} lead{(undone.RestoredLeadIds.Count == 1 ? " is" : "s are")} back with {undone.TouchesReturned} touch{(undone.TouchesReturned == 1 ? "" : "es")}." : "");
    }

    private static FormValues Defaults(HttpContext http, AidaDb db) => new(new Dictionary<string, string?>
    {
        ["interactionType"] = "call",
        ["direction"] = "outbound",
        ["occurredAt"] = UiContext.For(http).InputTime(db.Clock.GetUtcNow().UtcDateTime),
    });

    private static async Task<IResult> RenderAsync(
        HttpContext http, AidaDb db, Guid id, FormValues values, IReadOnlyDictionary<string, string[]>? errors, int status, CancellationToken cancellationToken)
    {
        var lead = await db.Set<Lead>().AsNoTracking().FirstOrDefaultAsync(l => l.Id == id, cancellationToken);
        if (lead is null)
        {
            // A lead merged into another leads to it (temporary: a browser caches a permanent redirect).
            return await MergeLeads.SurvivorAsync(db, id, cancellationToken) is { } survivor
                ? TypedResults.Redirect($"/leads/{survivor}")
                : Html.NotFound(http, "lead");
        }

        var touches = await db.Set<LeadInteraction>().AsNoTracking().Where(i => i.LeadId == id)
            .OrderByDescending(i => i.OccurredAt).ThenByDescending(i => i.Id).Take(TouchesShown).ToListAsync(cancellationToken);
        var users = await UserDirectory.LoadAsync(db, cancellationToken);
        var settings = await LeadSettings.GetAsync(db, cancellationToken);
        var now = db.Clock.UtcNow();
        var merges = await db.Set<LeadMerge>().AsNoTracking().Where(m => m.SurvivorId == id && m.UndoneAt == null && m.UndoableUntil > now)
            .OrderByDescending(m => m.CreatedAt).Take(5).ToListAsync(cancellationToken);
        var folded = merges.SelectMany(m => m.Merged).ToList();
        // Merged leads are soft-deleted: read past the filter, for their names only.
        var nameOf = await db.Set<Lead>().IgnoreQueryFilters().AsNoTracking().Where(l => folded.Contains(l.Id))
            .ToDictionaryAsync(l => l.Id, l => l.DisplayName, cancellationToken);
        return Html.Page<LeadDetail>(new
        {
            Context = UiContext.For(http),
            View = new LeadView(lead.ToResponse(), touches.Select(t => t.ToResponse()).ToList(), users, settings.QualificationThreshold, values, errors)
            {
                Merges = merges.Select(m => (m.ToResponse(), string.Join(", ", m.Merged.Select(i => nameOf.GetValueOrDefault(i, "a lead"))))).ToList(),
            },
        }, status);
    }
}
