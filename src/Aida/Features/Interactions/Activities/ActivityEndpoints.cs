using Aida.Platform;
using Aida.Platform.Auth;
using Aida.Platform.Data;
using Aida.Platform.Events;
using Aida.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Aida.Features.Interactions.Activities;

public static class GetActivity
{
    public static async Task<Results<Ok<ActivityResponse>, ProblemHttpResult>> Handle(Guid id, AidaDb db, HttpResponse response, CancellationToken cancellationToken)
    {
        var activity = await db.Set<Activity>().AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (activity is null)
        {
            return Problems.NotFound("activity");
        }

        ETags.Set(response, activity.Version);
        return TypedResults.Ok(activity.ToResponse(db.Clock.UtcNow()));
    }
}

/// <summary>Which open activities a MyActivities section shows, relative to the user's day.</summary>
public enum DueWindow
{
    Overdue,
    Today,
    Upcoming,
}

/// <summary>
/// Activities by assignee (default: the actor, "me"), customer, status and due window, soonest due
/// first; keyset-paged. <c>due=overdue|today|upcoming</c> selects open activities; "today" is the
/// actor's calendar day in their time zone.
/// </summary>
public static class ListActivities
{
    public static async Task<Results<Ok<Page<ActivityResponse>>, ValidationProblem>> Handle(
        string? assignedTo,
        Guid? customerId,
        string? status,
        string? due,
        int? limit,
        string? cursor,
        AidaDb db,
        CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var take = Paging.Limit(limit, errors);
        Guid? assignee = assignedTo switch
        {
            null or "" => customerId is null ? db.Operation.ActorId : null,
            "me" => db.Operation.ActorId,
            "anyone" => null,
            _ when Guid.TryParse(assignedTo, out var id) => id,
            _ => Invalid(errors, "assignedTo", "Must be a user id, \"me\" or \"anyone\"."),
        };
        var wantedStatus = QueryValues.Enum<ActivityStatus>(status, "status", errors);
        var window = QueryValues.Enum<DueWindow>(due, "due", errors);
        const string Sort = "dueDate";
        var last = Paging.DecodeTimeCursor(cursor, Sort, errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var now = db.Clock.UtcNow();
        var query = db.Set<Activity>().AsNoTracking();
        if (assignee is not null)
        {
            query = query.Where(a => a.AssignedTo == assignee);
        }

        if (customerId is not null)
        {
            query = query.Where(a => a.CustomerId == customerId);
        }

        if (wantedStatus is not null)
        {
            query = query.Where(a => a.Status == wantedStatus);
        }

        if (window is not null)
        {
            var (_, end) = await TodayAsync(db, now, cancellationToken);
            query = query.Where(a => a.Status == ActivityStatus.Pending || a.Status == ActivityStatus.InProgress);
            query = window switch
            {
                DueWindow.Overdue => query.Where(a => a.DueDate < now),
                DueWindow.Today => query.Where(a => a.DueDate >= now && a.DueDate < end),
                _ => query.Where(a => a.DueDate >= end),
            };
        }

        if (last is { } l)
        {
            query = query.Where(a => a.DueDate >= l.Time && (a.DueDate > l.Time || a.Id.CompareTo(l.Id) > 0));
        }

        var rows = await query.OrderBy(a => a.DueDate).ThenBy(a => a.Id).Take(take + 1).ToListAsync(cancellationToken);
        var next = rows.Count > take
            ? Paging.EncodeTimeCursor(Sort, rows[take - 1].DueDate, rows[take - 1].Id)
            : null;
        return TypedResults.Ok(new Page<ActivityResponse>(rows.Take(take).Select(a => a.ToResponse(now)).ToList(), next));
    }

    /// <summary>The actor's current calendar day, in UTC bounds.</summary>
    public static async Task<(DateTime Start, DateTime End)> TodayAsync(AidaDb db, DateTime now, CancellationToken cancellationToken)
    {
        var zone = await FollowUpDraft.ZoneAsync(db, cancellationToken);
        var local = TimeZoneInfo.ConvertTimeFromUtc(now, zone).Date;
        return (TimeZoneInfo.ConvertTimeToUtc(local, zone), TimeZoneInfo.ConvertTimeToUtc(local.AddDays(1), zone));
    }

    private static Guid? Invalid(ValidationErrors errors, string field, string message)
    {
        errors.Add(field, message);
        return null;
    }
}

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
        CancellationToken cancellationToken)
    {
        if (IfMatch.Parse(ifMatch) is not { IsValid: true } precondition)
        {
            return Problems.InvalidIfMatch();
        }

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var found = await db.Set<Activity>().Where(a => a.Id == id).FindForChangeAsync(precondition, "activity", cancellationToken);
        if (found.Failed)
        {
            return found.Problem;
        }

        var activity = found.Record;
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
            return errors.ToProblem();
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

        var now = db.Clock.UtcNow();
        var changes = db.ChangedFields(activity);
        if (changes.Count > 0)
        {
            db.Publish("activity.updated", ActivityMapping.Subject(activity), () => new { activity = activity.ToResponse(now), changes });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        ETags.Set(response, activity.Version);
        return TypedResults.Ok(activity.ToResponse(now));
    }
}

public static class DeleteActivity
{
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, [FromHeader(Name = "If-Match")] string? ifMatch, AidaDb db, CancellationToken cancellationToken)
    {
        var now = db.Clock.UtcNow();
        return (await db.SoftDeleteAsync(db.Set<Activity>().Where(a => a.Id == id), ifMatch, "activity", "activity.deleted",
            ActivityMapping.Subject, a => new { activity = a.ToResponse(now) }, cancellationToken)).ToNoContent();
    }
}
