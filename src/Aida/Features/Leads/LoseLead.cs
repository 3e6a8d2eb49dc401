namespace Aida.Features.Leads;

/// <summary>
/// <c>POST /api/v1/leads/{id}/lose</c> (reason required, <c>lead.lost</c>): the lead is closed without a
/// sale. <see cref="ReopenLead"/> makes it active again.
/// </summary>
public static class LoseLead
{
    public static async Task<Results<Ok<LeadResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, [FromBody] LeadStates.ReasonRequest? request, [FromHeader(Name = "If-Match")] string? ifMatch, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(id, request, ifMatch, db, cancellationToken)).ToOk(response);

    public static async Task<Result<LeadResponse>> RunAsync(
        Guid id, LeadStates.ReasonRequest? request, string? ifMatch, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var reason = errors.RequiredText("reason", request?.Reason, Lead.ReasonMaxLength);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        return await LeadStates.ChangeAsync(id, ifMatch, db, lead =>
        {
            if (lead.Status == LeadStatus.Lost)
            {
                return new Failure.Conflict("status", "The lead is already lost.");
            }

            lead.Status = LeadStatus.Lost;
            lead.LostReason = reason;
            lead.NextFollowUpAt = null;
            LeadStates.Publish(db, "lead.lost", lead, reason);
            return null;
        }, cancellationToken);
    }
}
