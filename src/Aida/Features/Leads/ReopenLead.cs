namespace Aida.Features.Leads;

/// <summary>
/// <c>POST /api/v1/leads/{id}/reopen</c> (<c>lead.reopened</c>): a lost or unresponsive lead is active again
/// with its follow-ups counted from 0, and a disqualified one is unqualified again, to be judged afresh.
/// </summary>
public static class ReopenLead
{
    public static async Task<Results<Ok<LeadResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, [FromHeader(Name = "If-Match")] string? ifMatch, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(id, ifMatch, db, cancellationToken)).ToOk(response);

    public static Task<Result<LeadResponse>> RunAsync(Guid id, string? ifMatch, AidaDb db, CancellationToken cancellationToken) =>
        LeadStates.ChangeAsync(id, ifMatch, db, lead =>
        {
            if (lead.Status == LeadStatus.Active && lead.QualificationStatus != QualificationStatus.Disqualified)
            {
                return new Failure.Conflict("status", "The lead is already open.");
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
