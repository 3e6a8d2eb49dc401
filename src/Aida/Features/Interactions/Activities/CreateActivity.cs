namespace Aida.Features.Interactions.Activities;

/// <summary>Schedules a task or follow-up (WF-IT-003 step 6). Assigned to the actor unless said otherwise.</summary>
public static class CreateActivity
{
    public sealed record Request(
        Guid? CustomerId,
        Guid? ContactId,
        ActivityType? ActivityType,
        string? Subject,
        string? Description,
        DateTimeOffset? DueDate,
        DateTimeOffset? ReminderAt,
        ActivityPriority? Priority,
        Guid? AssignedTo,
        Guid? SourceInteractionId);

    public static async Task<Results<Created<ActivityResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        [FromBody] Request request, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(request, db, cancellationToken)).ToCreated(response, created => ActivityMapping.Location(created.Id));

    public static async Task<Result<ActivityResponse>> RunAsync(Request request, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request.ActivityType is null)
        {
            errors.Add("activityType", "Is required: one of " + string.Join(", ", EnumText<ActivityType>.AllNames) + ".");
        }

        var subject = errors.RequiredText("subject", request.Subject, Activity.SubjectMaxLength);
        var description = LogInteraction.LongText(errors, "description", request.Description, Activity.DescriptionMaxLength);
        if (request.DueDate is null)
        {
            errors.Add("dueDate", "Is required, with a time zone offset, e.g. 2026-03-02T09:00:00+01:00.");
        }

        var due = request.DueDate is { } dueDate ? Time.Truncate(dueDate.UtcDateTime) : default;
        var reminder = request.ReminderAt is { } reminderAt ? Time.Truncate(reminderAt.UtcDateTime) : (DateTime?)null;
        ActivityRules.Reminder(errors, due, reminder);
        var assignee = request.AssignedTo ?? db.Operation.ActorId;

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        await ActivityRules.CustomerAndContactAsync(db, request.CustomerId, request.ContactId, errors, cancellationToken);
        await ActivityRules.AssigneeAsync(db, assignee, errors, cancellationToken);
        if (request.SourceInteractionId is { } sourceId && !await InteractionExistsAsync(db, sourceId, request.CustomerId, cancellationToken))
        {
            errors.Add("sourceInteractionId", "Is not an interaction of this customer.");
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        var activity = new Activity
        {
            CustomerId = request.CustomerId,
            ContactId = request.ContactId,
            ActivityType = request.ActivityType!.Value,
            Subject = subject!,
            Description = description,
            DueDate = due,
            ReminderAt = reminder,
            Priority = request.Priority ?? ActivityPriority.Normal,
            AssignedTo = assignee,
            CreatedBy = db.Operation.ActorId,
            SourceInteractionId = request.SourceInteractionId,
        };
        db.Add(activity);
        var now = db.Clock.UtcNow();
        db.Publish("activity.created", ActivityMapping.Subject(activity), () => new { activity = activity.ToResponse(now) });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Result.Ok(activity.ToResponse(now), activity.Version);
    }

    private static Task<bool> InteractionExistsAsync(AidaDb db, Guid id, Guid? customerId, CancellationToken cancellationToken) =>
        db.Set<Interaction>().AnyAsync(i => i.Id == id && i.CustomerId == customerId, cancellationToken);
}
