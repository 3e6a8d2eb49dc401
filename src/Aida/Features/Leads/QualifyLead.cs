using Aida.Platform.Http;
using Aida.Platform.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Aida.Features.Leads;

/// <summary>
/// <c>POST /api/v1/leads/{id}/qualify</c> (reason optional, <c>lead.qualified</c>) and <c>…/disqualify</c>
/// (reason required, <c>lead.disqualified</c>). Qualification is the sales judgement of the lead; it does
/// not close it (that is <see cref="LoseLead"/>). A lost lead is reopened before it is judged again.
/// </summary>
public static class QualifyLead
{
    public static Task<Results<Ok<LeadResponse>, ValidationProblem, ProblemHttpResult>> Qualify(
        Guid id, [FromBody] LeadStates.ReasonRequest? request, [FromHeader(Name = "If-Match")] string? ifMatch, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        JudgeAsync(id, request, ifMatch, db, response, QualificationStatus.Qualified, cancellationToken);

    public static Task<Results<Ok<LeadResponse>, ValidationProblem, ProblemHttpResult>> Disqualify(
        Guid id, [FromBody] LeadStates.ReasonRequest? request, [FromHeader(Name = "If-Match")] string? ifMatch, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        JudgeAsync(id, request, ifMatch, db, response, QualificationStatus.Disqualified, cancellationToken);

    private static async Task<Results<Ok<LeadResponse>, ValidationProblem, ProblemHttpResult>> JudgeAsync(
        Guid id, LeadStates.ReasonRequest? request, string? ifMatch, AidaDb db, HttpResponse response, QualificationStatus status, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var reason = status == QualificationStatus.Disqualified
            ? errors.RequiredText("reason", request?.Reason, Lead.ReasonMaxLength)
            : errors.OptionalText("reason", request?.Reason, Lead.ReasonMaxLength);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        return await LeadStates.ChangeAsync(id, ifMatch, db, response, lead =>
        {
            if (lead.Status == LeadStatus.Lost)
            {
                return Problems.Conflict("status", "The lead is lost; reopen it before qualifying it again.");
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
