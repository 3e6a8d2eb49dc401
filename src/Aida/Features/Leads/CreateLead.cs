using Aida.Features.Leads.Routing;
using Aida.Features.Leads.Scoring;

namespace Aida.Features.Leads;

/// <summary>
/// Capture a lead from an integration (<c>POST /api/v1/leads</c>). The lead is scored and routed in the
/// same transaction that stores it, and <c>lead.captured</c> is written to the outbox with it.
/// </summary>
public static class CreateLead
{
    public sealed record Request(
        string? FirstName,
        string? LastName,
        string? Email,
        string? Phone,
        string? Company,
        string? JobTitle,
        string? Country,
        LeadSourceType? SourceType,
        string? SourceDetail,
        Utm? Utm,
        string? LandingPage,
        string? Referrer,
        string? Needs,
        decimal? BudgetAmount,
        string? BudgetCurrency,
        LeadAuthority? Authority,
        LeadNeed? Need,
        PurchaseTimeline? Timeline,
        Urgency? Urgency,
        Guid? AssignedTo)
    {
        public LeadInput ToInput() => new(
            FirstName, LastName, Email, Phone, Company, JobTitle, Country, SourceDetail,
            Utm?.Source, Utm?.Medium, Utm?.Campaign, Utm?.Term, Utm?.Content, LandingPage, Referrer,
            Needs, BudgetAmount, BudgetCurrency, Authority, Need, Timeline, Urgency);
    }

    public sealed record Utm(string? Source, string? Medium, string? Campaign, string? Term, string? Content);

    /// <summary>What a capture came to, and whether the caller may see it (issue 14): only then may the answer say.</summary>
    public sealed record Captured(CaptureResult Capture, bool Visible);

    /// <summary>
    /// 201 with the new lead; or, when the email or phone belongs to an open lead or a contact (<see cref="LeadCapture"/>),
    /// 200 with what the capture was attached to and the header <c>Aida-Duplicate-Of</c> naming it. Either only
    /// when the caller may see the result (the record filters of <c>GET /leads/{id}</c> and of contacts decide);
    /// otherwise 202 with the one <see cref="CaptureReceipt"/>, whatever happened (issue 14).
    /// </summary>
    public static async Task<Results<Created<LeadResponse>, Ok<CaptureAttachedResponse>, Accepted<CaptureReceipt>, ValidationProblem, ProblemHttpResult>> Handle(
        [FromBody] Request request, AidaDb db, HttpResponse response, CancellationToken cancellationToken)
    {
        var result = await RunAsync(request, db, cancellationToken);
        if (result.Failure is Failure.Invalid invalid)
        {
            return invalid.ToValidationProblem();
        }

        if (result.Failure is { } failure)
        {
            return failure.ToProblem();
        }

        var (captured, visible) = result.Value!;
        if (!visible)
        {
            // Dedupe spans the whole CRM; the answer does not. Status, headers and body are the same for a
            // new lead routed elsewhere and for a person another team already has.
            return TypedResults.Accepted((string?)null, CaptureReceipt.OutOfReach);
        }

        if (captured.Outcome == CaptureOutcome.Created)
        {
            ETags.Set(response, result.Version!.Value);
            return TypedResults.Created(LeadMapping.Location(captured.Lead!), captured.Lead!.ToResponse());
        }

        response.Headers[CaptureAttachedResponse.DuplicateOfHeader] = CaptureAttachedResponse.DuplicateOf(captured);
        if (result.Version is { } version)
        {
            ETags.Set(response, version);
        }

        return TypedResults.Ok(CaptureAttachedResponse.For(captured));
    }

    /// <summary>Validates, then stores the capture (new, or attached to its match) scored and routed, in one transaction.</summary>
    public static async Task<Result<Captured>> RunAsync(Request request, AidaDb db, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var errors = new ValidationErrors();
        var lead = new Lead { SourceType = request.SourceType ?? LeadSourceType.Api };
        LeadFields.Apply(errors, request.ToInput(), lead);
        LeadFields.RequireContactPoint(errors, lead);
        if (request.AssignedTo is { } assignee)
        {
            if (!db.Operation.Access.Can(Permissions.LeadsAssign))
            {
                errors.Add("assignedTo", "Assigning a lead needs the leads.assign permission.");
            }
            else
            {
                await Owners.CheckAsync(db, assignee, errors, "assignedTo", cancellationToken, records: "leads");
            }
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        if (request.AssignedTo is { } chosen)
        {
            lead.AssignedTo = chosen;
            lead.AssignedAt = db.Clock.UtcNow();
        }

        var captured = await LeadCapture.CaptureAsync(db, lead, formName: null, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var visible = await LeadCapture.IsVisibleAsync(db, captured, cancellationToken);
        // The version only for a caller who may see the lead: the ETag is part of what a receipt must not tell.
        return Result.Ok(new Captured(captured, visible), visible ? captured.Lead?.Version : null);
    }

    /// <summary>Scores, routes (unless already assigned) and adds a new lead with its <c>lead.captured</c> event (also used by web forms).</summary>
    public static async Task AddAsync(AidaDb db, Lead lead, CancellationToken cancellationToken)
    {
        var now = db.Clock.UtcNow();
        lead.LastCapturedAt = now;
        lead.CreatedBy = db.Operation.ActorId == User.SystemId ? null : db.Operation.ActorId;
        await LeadScoring.ApplyAsync(db, lead, cancellationToken);
        if (lead.AssignedTo is null)
        {
            await LeadRouting.RouteAsync(db, lead, cancellationToken);
        }

        db.Add(lead);
        db.Publish("lead.captured", LeadMapping.Subject(lead), () => new { lead = lead.ToResponse(), duplicateOf = (Guid?)null });
    }
}
