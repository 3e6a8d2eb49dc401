using Aida.Features.Interactions;

namespace Aida.Features.Leads;

// Top-level, not nested in LogLeadInteraction: their names are the API's schema ids (LeadInteractionRequest, LeadInteractionLogged).
public sealed record LeadInteractionRequest(
    InteractionType? InteractionType, Direction? Direction, string? Subject, string? Description, DateTimeOffset? OccurredAt, InteractionOutcome? Outcome);

public sealed record LeadInteractionLogged(LeadInteractionResponse Interaction, LeadResponse Lead);

/// <summary>
/// <c>POST /api/v1/leads/{id}/interactions</c> (leads.edit): log a call, email or meeting with a lead. It is a
/// touch (<see cref="LeadTouches"/>), so it moves the lead's follow-up count and state and rescores it.
/// </summary>
public static class LogLeadInteraction
{
    public static async Task<Results<Created<LeadInteractionLogged>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, [FromBody] LeadInteractionRequest request, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(id, request, db, cancellationToken)).ToCreated(response, logged => $"/api/v1/leads/{logged.Lead.Id}/interactions");

    public static async Task<Result<LeadInteractionLogged>> RunAsync(Guid id, LeadInteractionRequest request, AidaDb db, CancellationToken cancellationToken)
    {
        var now = db.Clock.UtcNow();
        var errors = new ValidationErrors();
        if (request.InteractionType is null)
        {
            errors.Add("interactionType", "Is required: one of " + string.Join(", ", EnumText<InteractionType>.AllNames) + ".");
        }

        if (request.Direction is null)
        {
            errors.Add("direction", "Is required: inbound or outbound.");
        }

        var subject = errors.OptionalText("subject", request.Subject, LeadInteraction.SubjectMaxLength);
        var description = LogInteraction.LongText(errors, "description", request.Description, Interaction.DescriptionMaxLength);
        var occurredAt = InteractionRules.OccurredAt(errors, "occurredAt", request.OccurredAt, now) ?? now;

        LeadInteraction? touch = null;
        // A touch is logged whatever the lead's version (no If-Match); an unknown lead is still a 404 before a bad field is a 400.
        return await db.ChangeAsync(db.Set<Lead>().Where(l => l.Id == id), ifMatch: null, "lead",
            holdFirst: token => LeadStates.LockAsync(db, id, token),
            async Task<Failure?> (lead) =>
            {
                if (errors.Any)
                {
                    return errors.ToFailure();
                }

                if (lead.Status == LeadStatus.Converted)
                {
                    return LeadStates.Converted();
                }

                touch = new LeadInteraction
                {
                    InteractionType = request.InteractionType!.Value,
                    Direction = request.Direction!.Value,
                    Subject = subject,
                    Description = description,
                    OccurredAt = occurredAt,
                    Outcome = request.Outcome,
                };
                await LeadTouches.RecordAsync(db, lead, touch, cancellationToken);
                return null;
            },
            lead => new LeadInteractionLogged(touch!.ToResponse(), lead.ToResponse()),
            cancellationToken);
    }
}
