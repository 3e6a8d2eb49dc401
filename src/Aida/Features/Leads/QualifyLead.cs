namespace Aida.Features.Leads;

/// <summary>
/// <c>POST /api/v1/leads/{id}/qualify</c> (reason optional, <c>lead.qualified</c>); its opposite is
/// <see cref="DisqualifyLead"/>. Qualification is the sales judgement of the lead; it does not close it
/// (that is <see cref="LoseLead"/>). A lost lead is reopened before it is judged again.
/// </summary>
public static class QualifyLead
{
    public static async Task<Results<Ok<LeadResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, [FromBody] LeadStates.ReasonRequest? request, [FromHeader(Name = "If-Match")] string? ifMatch, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(id, request, ifMatch, db, cancellationToken)).ToOk(response);

    public static Task<Result<LeadResponse>> RunAsync(
        Guid id, LeadStates.ReasonRequest? request, string? ifMatch, AidaDb db, CancellationToken cancellationToken) =>
        JudgeAsync(id, request, ifMatch, db, QualificationStatus.Qualified, cancellationToken);

    /// <summary>Qualifies or disqualifies the lead: the two differ only in whether the reason is required and in their event.</summary>
    internal static async Task<Result<LeadResponse>> JudgeAsync(
        Guid id, LeadStates.ReasonRequest? request, string? ifMatch, AidaDb db, QualificationStatus status, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var reason = status == QualificationStatus.Disqualified
            ? errors.RequiredText("reason", request?.Reason, Lead.ReasonMaxLength)
            : errors.OptionalText("reason", request?.Reason, Lead.ReasonMaxLength);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        return await LeadStates.ChangeAsync(id, ifMatch, db, lead =>
        {
            if (lead.Status == LeadStatus.Lost)
            {
                return new Failure.Conflict("status", "The lead is lost; reopen it before qualifying it again.");
            }

            if (lead.QualificationStatus == status && lead.QualificationReason == reason)
            {
                // Sent twice: nothing changes and no second event.
                return null;
            }

            lead.QualificationStatus = status;
            lead.QualificationReason = reason;
            LeadStates.Publish(db, status == QualificationStatus.Qualified ? "lead.qualified" : "lead.disqualified", lead, reason);
            return null;
        }, cancellationToken);
    }
}
