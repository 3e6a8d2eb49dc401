using Aida.Features.Leads.Scoring;

namespace Aida.Features.Leads;

/// <summary>
/// Edits a lead (merge-patch, If-Match): an absent field is kept, null clears it, a value replaces it;
/// <c>utm</c> is replaced whole. Assigning needs leads.assign. A change re-scores the lead and emits
/// <c>lead.updated</c>; a converted lead is history and refuses edits (409).
/// </summary>
public static class UpdateLead
{
    public sealed record Request(
        Optional<string?> FirstName,
        Optional<string?> LastName,
        Optional<string?> Email,
        Optional<string?> Phone,
        Optional<string?> Company,
        Optional<string?> JobTitle,
        Optional<string?> Country,
        Optional<LeadSourceType> SourceType,
        Optional<string?> SourceDetail,
        Optional<CreateLead.Utm?> Utm,
        Optional<string?> LandingPage,
        Optional<string?> Referrer,
        Optional<string?> Needs,
        Optional<decimal?> BudgetAmount,
        Optional<string?> BudgetCurrency,
        Optional<LeadAuthority> Authority,
        Optional<LeadNeed> Need,
        Optional<PurchaseTimeline> Timeline,
        Optional<Urgency> Urgency,
        Optional<Guid?> AssignedTo);

    public static async Task<Results<Ok<LeadResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id,
        [FromBody] Request request,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        AidaDb db,
        HttpResponse response,
        CancellationToken cancellationToken) =>
        (await RunAsync(id, request, ifMatch, db, cancellationToken)).ToOk(response);

    public static Task<Result<LeadResponse>> RunAsync(Guid id, Request request, string? ifMatch, AidaDb db, CancellationToken cancellationToken) =>
        db.ChangeAsync(db.Set<Lead>().Where(l => l.Id == id), ifMatch, "lead", async Task<Failure?> (lead) =>
        {
            if (lead.Status == LeadStatus.Converted)
            {
                return new Failure.Conflict("status", "This lead was converted; edit its customer instead.");
            }

            var assigning = request.AssignedTo.IsSet && request.AssignedTo.Value != lead.AssignedTo;
            if (assigning && !db.Operation.Access.Can(Permissions.LeadsAssign))
            {
                return new Failure.Forbidden("assignedTo", "Assigning a lead needs the leads.assign permission.");
            }

            var errors = new ValidationErrors();
            var utm = request.Utm.IsSet ? request.Utm.Value : null;
            var input = new LeadInput(
                Given(request.FirstName), Given(request.LastName), Given(request.Email), Given(request.Phone), Given(request.Company),
                Given(request.JobTitle), Given(request.Country), Given(request.SourceDetail),
                utm?.Source, utm?.Medium, utm?.Campaign, utm?.Term, utm?.Content,
                Given(request.LandingPage), Given(request.Referrer), Given(request.Needs),
                request.BudgetAmount.IsSet ? request.BudgetAmount.Value : null, Given(request.BudgetCurrency),
                request.Authority.IsSet ? request.Authority.Value : null,
                request.Need.IsSet ? request.Need.Value : null,
                request.Timeline.IsSet ? request.Timeline.Value : null,
                request.Urgency.IsSet ? request.Urgency.Value : null);

            // Validate on a copy first, so a refused edit leaves the tracked lead untouched.
            var draft = Copy(lead);
            ClearNulls(request, draft);
            LeadFields.Apply(errors, input, draft);
            LeadFields.RequireContactPoint(errors, draft);
            if (draft.BudgetAmount is null && request.BudgetAmount.IsSet && !request.BudgetCurrency.IsSet)
            {
                draft.BudgetCurrency = null;
            }

            if (assigning && request.AssignedTo.Value is { } assignee)
            {
                await Owners.CheckAsync(db, assignee, errors, "assignedTo", cancellationToken, records: "leads");
            }

            if (errors.Any)
            {
                return errors.ToFailure();
            }

            ClearNulls(request, lead);
            LeadFields.Apply(errors, input, lead);
            lead.BudgetCurrency = draft.BudgetCurrency;
            lead.SourceType = request.SourceType.Or(lead.SourceType);
            if (assigning)
            {
                lead.AssignedTo = request.AssignedTo.Value;
                lead.AssignedAt = lead.AssignedTo is null ? null : db.Clock.UtcNow();
                lead.RoutingRuleId = null;
                lead.RoutingReason = lead.AssignedTo is null ? null : "Assigned by hand.";
            }

            var changes = db.ChangedFields(lead);
            if (changes.Count > 0)
            {
                await LeadScoring.ApplyAsync(db, lead, cancellationToken);
                db.Publish("lead.updated", LeadMapping.Subject(lead), () => new { lead = lead.ToResponse(), changes });
            }

            return null;
        }, lead => lead.ToResponse(), cancellationToken);

    /// <summary>A value to validate and copy: only a sent, non-null one (null means "clear", done by <see cref="ClearNulls"/>).</summary>
    private static string? Given(Optional<string?> field) => field.IsSet ? field.Value : null;

    private static void ClearNulls(Request r, Lead lead)
    {
        if (IsCleared(r.FirstName)) lead.FirstName = null;
        if (IsCleared(r.LastName)) lead.LastName = null;
        if (IsCleared(r.Email)) lead.Email = null;
        if (IsCleared(r.Phone)) lead.Phone = null;
        if (IsCleared(r.Company)) lead.Company = null;
        if (IsCleared(r.JobTitle)) lead.JobTitle = null;
        if (IsCleared(r.Country)) lead.Country = null;
        if (IsCleared(r.SourceDetail)) lead.SourceDetail = null;
        if (IsCleared(r.LandingPage)) lead.LandingPage = null;
        if (IsCleared(r.Referrer)) lead.Referrer = null;
        if (IsCleared(r.Needs)) lead.Needs = null;
        if (IsCleared(r.BudgetCurrency)) lead.BudgetCurrency = null;
        if (r.BudgetAmount is { IsSet: true, Value: null })
        {
            lead.BudgetAmount = null;
        }

        if (r.Utm.IsSet)
        {
            // The utm object is replaced whole: what it leaves out is cleared.
            lead.UtmSource = lead.UtmMedium = lead.UtmCampaign = lead.UtmTerm = lead.UtmContent = null;
        }
    }

    private static bool IsCleared(Optional<string?> field) => field.IsSet && string.IsNullOrWhiteSpace(field.Value);

    private static Lead Copy(Lead l) => new()
    {
        FirstName = l.FirstName, LastName = l.LastName, Email = l.Email, Phone = l.Phone, Company = l.Company,
        JobTitle = l.JobTitle, Country = l.Country, SourceDetail = l.SourceDetail, UtmSource = l.UtmSource,
        UtmMedium = l.UtmMedium, UtmCampaign = l.UtmCampaign, UtmTerm = l.UtmTerm, UtmContent = l.UtmContent,
        LandingPage = l.LandingPage, Referrer = l.Referrer, Needs = l.Needs, BudgetAmount = l.BudgetAmount,
        BudgetCurrency = l.BudgetCurrency,
    };
}
