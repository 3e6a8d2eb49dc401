using Aida.Platform;
using Aida.Platform.Data;
using Aida.Platform.Events;
using Aida.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Aida.Features.Interactions.Activities;

/// <summary>
/// Completes an activity and, when it belongs to a customer, logs its result as an interaction in the
/// same transaction (AC-2): a call activity becomes a call, a meeting or demo a meeting, and so on. The
/// request may say how it went (outcome, sentiment, notes, duration, when). A completed activity stays
/// completed: a second attempt answers 409, so a retried request never logs twice.
/// </summary>
public static class CompleteActivity
{
    public sealed record Request(
        InteractionOutcome? Outcome,
        Sentiment? Sentiment,
        string? Notes,
        int? DurationMinutes,
        DateTimeOffset? CompletedAt,
        Direction? Direction);

    public sealed record Completed(ActivityResponse Activity, InteractionResponse? Interaction);

    public static async Task<Results<Ok<Completed>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id,
        [FromBody] Request? request,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        AidaDb db,
        HttpResponse response,
        CancellationToken cancellationToken)
    {
        request ??= new Request(null, null, null, null, null, null);
        if (IfMatch.Parse(ifMatch) is not { IsValid: true } precondition)
        {
            return Problems.InvalidIfMatch();
        }

        var now = db.Clock.UtcNow();
        var errors = new ValidationErrors();
        var notes = LogInteraction.LongText(errors, "notes", request.Notes, Interaction.DescriptionMaxLength);
        var completedAt = InteractionRules.OccurredAt(errors, "completedAt", request.CompletedAt, now) ?? now;
        InteractionRules.Duration(errors, "durationMinutes", request.DurationMinutes);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var found = await db.Set<Activity>().Where(a => a.Id == id).FindForChangeAsync(precondition, "activity", cancellationToken);
        if (found.Failed)
        {
            return found.Problem;
        }

        var activity = found.Record;
        if (!activity.IsOpen)
        {
            return Problems.Conflict("status", $"The activity is already {EnumText<ActivityStatus>.ToText(activity.Status)}.");
        }

        Interaction? result = null;
        if (activity.CustomerId is { } customerId)
        {
            result = new Interaction
            {
                CustomerId = customerId,
                ContactId = activity.ContactId,
                InteractionType = ActivityRules.ResultType(activity.ActivityType),
                Direction = request.Direction ?? Direction.Outbound,
                Subject = activity.Subject,
                Description = notes ?? activity.Description,
                OccurredAt = completedAt,
                DurationMinutes = request.DurationMinutes,
                Outcome = request.Outcome ?? InteractionOutcome.Completed,
                Sentiment = request.Sentiment,
                Source = InteractionSource.Manual,
                ActivityId = activity.Id,
            };
            LogInteraction.Add(db, result);
            activity.ResultInteractionId = result.Id;
        }

        activity.Status = ActivityStatus.Completed;
        activity.CompletedAt = completedAt;
        db.Publish("activity.completed", ActivityMapping.Subject(activity), () => new
        {
            activity = activity.ToResponse(now),
            resultInteractionId = result?.Id,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        ETags.Set(response, activity.Version);
        return TypedResults.Ok(new Completed(activity.ToResponse(now), result?.ToResponse()));
    }
}
