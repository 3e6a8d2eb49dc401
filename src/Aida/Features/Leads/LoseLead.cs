using Aida.Platform.Http;
using Aida.Platform.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Aida.Features.Leads;

/// <summary>
/// <c>POST /api/v1/leads/{id}/lose</c> (reason required, <c>lead.lost</c>): the lead is closed without a
/// sale. <c>…/reopen</c> (<c>lead.reopened</c>): a lost or unresponsive lead is active again with its
/// follow-ups counted from 0, and a disqualified one is unqualified again, to be judged afresh.
/// </summary>
public static class LoseLead
{
    public static async Task<Results<Ok<LeadResponse>, ValidationProblem, ProblemHttpResult>> Lose(
        Guid id, [FromBody] LeadStates.ReasonRequest? request, [FromHeader(Name = "If-Match")] string? ifMatch, AidaDb db, HttpResponse response, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var reason = errors.RequiredText("reason", request?.Reason, Lead.ReasonMaxLength);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        return await LeadStates.ChangeAsync(id, ifMatch, db, response, lead =>
        {
            if (lead.Status == LeadStatus.Lost)
            {
                return Problems.Conflict("status", "The lead is already lost.");
            }

            lead.Status = LeadStatus.Lost;
            lead.LostReason = reason;
            lead.NextFollowUpAt = null;
            LeadStates.Publish(db, "lead.lost", lead, reason);
            return null;
        }, cancellationToken);
    }

    public static Task<Results<Ok<LeadResponse>, ValidationProblem, ProblemHttpResult>> Reopen(
        Guid id, [FromHeader(Name = "If-Match")] string? ifMatch, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        LeadStates.ChangeAsync(id, ifMatch, db, response, lead =>
        {
            if (lead.Status == LeadStatus.Active && lead.QualificationStatus != QualificationStatus.Disqualified)
            {
                return Problems.Conflict("status", "The lead is already open.");
            }

            lead.Status = LeadStatus.Active;
            lead.LostReason = null;
            lead.FollowUpCount = 0;
            if (lead.QualificationStatus == QualificationStatus.Disqualified)
            {
                lead.QualificationStatus = QualificationStatus.Unqualified;
                lead.QualificationReason = null;
            }

            LeadStates.Publish(db, "lead.reopened", lead, null);
            return null;
        }, cancellationToken);
}
