using Aida.Features.Interactions;
using Aida.Platform;
using Aida.Platform.Data;
using Aida.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Aida.Features.Leads;

public sealed record LeadInteractionResponse(
    Guid Id, Guid LeadId, InteractionType InteractionType, Direction Direction, string? Subject, string? Description,
    DateTime OccurredAt, InteractionOutcome? Outcome, Guid? CreatedBy, Guid? InteractionId, DateTime CreatedAt, int Version);

public static class LeadInteractionMapping
{
    public static LeadInteractionResponse ToResponse(this LeadInteraction i) => new(
        i.Id, i.LeadId, i.InteractionType, i.Direction, i.Subject, i.Description, i.OccurredAt, i.Outcome, i.CreatedBy, i.InteractionId, i.CreatedAt, i.Version);
}

/// <summary><c>POST/GET /api/v1/leads/{id}/interactions</c>: log a call, email or meeting with a lead (leads.edit), and read them newest first.</summary>
public static class LeadInteractionEndpoints
{
    public sealed record Request(
        InteractionType? InteractionType, Direction? Direction, string? Subject, string? Description, DateTimeOffset? OccurredAt, InteractionOutcome? Outcome);

    public sealed record Logged(LeadInteractionResponse Interaction, LeadResponse Lead);

    private const string Sort = "-occurredAt";

    public static async Task<Results<Created<Logged>, ValidationProblem, ProblemHttpResult>> Log(
        Guid id, [FromBody] Request request, AidaDb db, HttpResponse response, CancellationToken cancellationToken)
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

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        await LeadStates.LockAsync(db, id, cancellationToken);
        var lead = await db.Set<Lead>().FirstOrDefaultAsync(l => l.Id == id, cancellationToken);
        if (lead is null)
        {
            return Problems.NotFound("lead");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (lead.Status == LeadStatus.Converted)
        {
            return LeadStates.Converted(lead);
        }

        var touch = new LeadInteraction
        {
            InteractionType = request.InteractionType!.Value,
            Direction = request.Direction!.Value,
            Subject = subject,
            Description = description,
            OccurredAt = occurredAt,
            Outcome = request.Outcome,
        };
        await LeadTouches.RecordAsync(db, lead, touch, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        ETags.Set(response, lead.Version);
        return TypedResults.Created($"/api/v1/leads/{lead.Id}/interactions", new Logged(touch.ToResponse(), lead.ToResponse()));
    }

    public static async Task<Results<Ok<Page<LeadInteractionResponse>>, ValidationProblem, ProblemHttpResult>> List(
        Guid id, int? limit, string? cursor, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var take = Paging.Limit(limit, errors);
        var last = Paging.DecodeTimeCursor(cursor, Sort, errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (!await db.Set<Lead>().AnyAsync(l => l.Id == id, cancellationToken))
        {
            return Problems.NotFound("lead");
        }

        var query = db.Set<LeadInteraction>().AsNoTracking().Where(i => i.LeadId == id);
        if (last is { } l)
        {
            query = query.Where(i => i.OccurredAt <= l.Time && (i.OccurredAt < l.Time || i.Id.CompareTo(l.Id) < 0));
        }

        var rows = await query.OrderByDescending(i => i.OccurredAt).ThenByDescending(i => i.Id).Take(take + 1).ToListAsync(cancellationToken);
        var next = rows.Count > take ? Paging.EncodeTimeCursor(Sort, rows[take - 1].OccurredAt, rows[take - 1].Id) : null;
        return TypedResults.Ok(new Page<LeadInteractionResponse>(rows.Take(take).Select(i => i.ToResponse()).ToList(), next));
    }
}
