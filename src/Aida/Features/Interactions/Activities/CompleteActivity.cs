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
        CancellationToken cancellationToken) =>
        (await RunAsync(id, request, ifMatch, db, cancellationToken)).ToOk(response);

    public static async Task<Result<Completed>> RunAsync(
        Guid id, Request? request, string? ifMatch, AidaDb db, CancellationToken cancellationToken)
    {
        request ??= new Request(null, null, null, null, null, null);
        // The request is checked before the activity is read, and an unreadable If-Match before the request.
        if (!IfMatch.Parse(ifMatch).IsValid)
        {
            return Failure.Invalid.IfMatch();
        }

        var now = db.Clock.UtcNow();
        var errors = new ValidationErrors();
        var notes = LogInteraction.LongText(errors, "notes", request.Notes, Interaction.DescriptionMaxLength);
        var completedAt = InteractionRules.OccurredAt(errors, "completedAt", request.CompletedAt, now) ?? now;
        InteractionRules.Duration(errors, "durationMinutes", request.DurationMinutes);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        Interaction? result = null;
        return await db.ChangeAsync(db.Set<Activity>().Where(a => a.Id == id), ifMatch, "activity", activity =>
        {
            if (!activity.IsOpen)
            {
                return Task.FromResult<Failure?>(new Failure.Conflict("status", $"The activity is already {EnumText<ActivityStatus>.ToText(activity.Status)}."));
            }

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
            return Task.FromResult<Failure?>(null);
        }, activity => new Completed(activity.ToResponse(now), result?.ToResponse()), cancellationToken);
    }
}
