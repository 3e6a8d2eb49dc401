namespace Aida.Features.Leads;

/// <summary><c>POST /api/v1/leads/{id}/schedule-follow-up {at}</c>: when the lead is to be chased next (the follow-up queue's order); the next outbound touch clears it.</summary>
public static class ScheduleLeadFollowUp
{
    public sealed record Request(DateTimeOffset? At);

    public static async Task<Results<Ok<LeadResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, [FromBody] Request request, [FromHeader(Name = "If-Match")] string? ifMatch, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(id, request, ifMatch, db, cancellationToken)).ToOk(response);

    public static async Task<Result<LeadResponse>> RunAsync(Guid id, Request request, string? ifMatch, AidaDb db, CancellationToken cancellationToken)
    {
        var now = db.Clock.UtcNow();
        if (request.At is not { } at)
        {
            return new Failure.Invalid("at", "Is required: when to follow up, e.g. 2026-12-31T09:00:00Z.");
        }

        var due = Time.Truncate(at.UtcDateTime);
        if (due <= now)
        {
            return new Failure.Invalid("at", "Must be in the future.");
        }

        if (due > now.AddYears(2))
        {
            return new Failure.Invalid("at", "Must be within two years.");
        }

        return await LeadStates.ChangeAsync(id, ifMatch, db, lead =>
        {
            if (lead.Status == LeadStatus.Lost)
            {
                return new Failure.Conflict("status", "The lead is lost; reopen it before scheduling a follow-up.");
            }

            lead.NextFollowUpAt = due;
            LeadStates.Publish(db, "lead.follow_up_scheduled", lead, null);
            return null;
        }, cancellationToken);
    }
}
