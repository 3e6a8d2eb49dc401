namespace Aida.Features.Interactions.Activities;

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
        CancellationToken cancellationToken) =>
        (await RunAsync(assignedTo, customerId, status, due, limit, cursor, db, cancellationToken)).ToOkOrInvalid();

    public static async Task<Result<Page<ActivityResponse>>> RunAsync(
        string? assignedTo, Guid? customerId, string? status, string? due, int? limit, string? cursor, AidaDb db, CancellationToken cancellationToken)
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
            return errors.ToFailure();
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
        return Result.Ok(new Page<ActivityResponse>(rows.Take(take).Select(a => a.ToResponse(now)).ToList(), next));
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
