namespace Aida.Features.Interactions.Activities;

/// <summary>Reschedules, reassigns or edits an activity (merge-patch, If-Match). Completion has its own endpoint.</summary>
public static class UpdateActivity
{
    public sealed record Request(
        Optional<ActivityType> ActivityType,
        Optional<string?> Subject,
        Optional<string?> Description,
        Optional<DateTimeOffset> DueDate,
        Optional<DateTimeOffset?> ReminderAt,
        Optional<ActivityPriority> Priority,
        Optional<ActivityStatus> Status,
        Optional<Guid> AssignedTo);

    public static async Task<Results<Ok<ActivityResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id,
        [FromBody] Request request,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        AidaDb db,
        HttpResponse response,
        CancellationToken cancellationToken) =>
        (await RunAsync(id, request, ifMatch, db, cancellationToken)).ToOk(response);

    public static async Task<Result<ActivityResponse>> RunAsync(
        Guid id, Request request, string? ifMatch, AidaDb db, CancellationToken cancellationToken)
    {
        var now = default(DateTime);
        return await db.ChangeAsync(db.Set<Activity>().Where(a => a.Id == id), ifMatch, "activity", async Task<Failure?> (activity) =>
        {
            var errors = new ValidationErrors();
            var subject = request.Subject.IsSet ? errors.RequiredText("subject", request.Subject.Value, Activity.SubjectMaxLength) : activity.Subject;
            var description = request.Description.IsSet
                ? LogInteraction.LongText(errors, "description", request.Description.Value, Activity.DescriptionMaxLength)
                : activity.Description;
            var due = request.DueDate.IsSet ? Time.Truncate(request.DueDate.Value.UtcDateTime) : activity.DueDate;
            var reminder = request.ReminderAt.IsSet
                ? request.ReminderAt.Value is { } at ? Time.Truncate(at.UtcDateTime) : null
                : activity.ReminderAt;
            ActivityRules.Reminder(errors, due, reminder);
            var status = request.Status.Or(activity.Status);
            if (request.Status.IsSet && status == ActivityStatus.Completed && activity.Status != ActivityStatus.Completed)
            {
                errors.Add("status", "Complete an activity with POST /api/v1/activities/{id}/complete, which logs its result.");
            }
            else if (request.Status.IsSet && activity.Status == ActivityStatus.Completed && status != ActivityStatus.Completed)
            {
                errors.Add("status", "A completed activity stays completed: its result is already logged. Schedule a new one.");
            }

            if (request.AssignedTo.IsSet && request.AssignedTo.Value != activity.AssignedTo)
            {
                await ActivityRules.AssigneeAsync(db, request.AssignedTo.Value, errors, cancellationToken);
            }

            if (errors.Any)
            {
                return errors.ToFailure();
            }

            if (reminder != activity.ReminderAt)
            {
                // A moved reminder fires again at its new time.
                activity.ReminderSentAt = null;
            }

            activity.ActivityType = request.ActivityType.Or(activity.ActivityType);
            activity.Subject = subject!;
            activity.Description = description;
            activity.DueDate = due;
            activity.ReminderAt = reminder;
            activity.Priority = request.Priority.Or(activity.Priority);
            activity.Status = status;
            activity.AssignedTo = request.AssignedTo.Or(activity.AssignedTo);

            now = db.Clock.UtcNow();
            db.PublishChanges(activity, "activity.updated", ActivityMapping.Subject(activity), changes => new { activity = activity.ToResponse(now), changes });

            return null;
        }, activity => activity.ToResponse(now), cancellationToken);
    }
}
