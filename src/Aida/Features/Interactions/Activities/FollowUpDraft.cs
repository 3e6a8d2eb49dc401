using Aida.Features.Customers;

namespace Aida.Features.Interactions.Activities;

/// <summary>
/// WF-IT-003 steps 1-5 as a draft to review and save with POST /api/v1/activities: the type follows the
/// interaction's, the text comes from its subject and notes, the due date is tomorrow or what the notes
/// say ("call next week"), at 09:00 in the actor's time zone, assigned to the actor.
/// </summary>
public static class FollowUpDraft
{
    public sealed record Draft(
        Guid CustomerId,
        Guid? ContactId,
        Guid SourceInteractionId,
        ActivityType ActivityType,
        string Subject,
        string? Description,
        DateTime DueDate,
        string? DetectedPhrase,
        Guid AssignedTo);

    public static async Task<Results<Ok<Draft>, ProblemHttpResult>> Handle(Guid id, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(id, db, cancellationToken)).ToOkOrProblem(response);

    public static async Task<Result<Draft>> RunAsync(Guid id, AidaDb db, CancellationToken cancellationToken)
    {
        var interaction = await db.Set<Interaction>().AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (interaction is null)
        {
            return new Failure.NotFound("interaction");
        }

        var customerName = await db.Set<Customer>().Where(c => c.Id == interaction.CustomerId).Select(c => c.DisplayName).FirstAsync(cancellationToken);
        var zone = await ZoneAsync(db, cancellationToken);
        return Result.Ok(For(interaction, customerName, db.Clock.UtcNow(), zone, db.Operation.ActorId));
    }

    public static Draft For(Interaction interaction, string customerName, DateTime now, TimeZoneInfo zone, Guid actor)
    {
        var suggested = FollowUpDates.Suggest(interaction.Subject + "\n" + interaction.Description, Today(now, zone));
        var due = DueOn(suggested.Date, now, zone);
        var subject = interaction.Subject is { Length: > 0 } s ? "Follow up: " + s : "Follow up with " + customerName;
        return new Draft(
            interaction.CustomerId,
            interaction.ContactId,
            interaction.Id,
            ActivityRules.FollowUpType(interaction.InteractionType),
            subject.Length > Activity.SubjectMaxLength ? subject[..Activity.SubjectMaxLength] : subject,
            interaction.Description is { Length: > Activity.DescriptionMaxLength } d ? d[..Activity.DescriptionMaxLength] : interaction.Description,
            due,
            suggested.Phrase.Length > 0 ? suggested.Phrase : null,
            actor);
    }

    public static DateOnly Today(DateTime now, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(now, zone));

    /// <summary>09:00 on <paramref name="date"/> in the user's zone, in UTC; never already past.</summary>
    public static DateTime DueOn(DateOnly date, DateTime now, TimeZoneInfo zone)
    {
        var dueLocal = date.ToDateTime(FollowUpDates.DefaultTime, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(dueLocal))
        {
            dueLocal = dueLocal.AddHours(1); // 09:00 skipped by a clock change
        }

        var due = TimeZoneInfo.ConvertTimeToUtc(dueLocal, zone);
        // "Today" after 09:00: the next full hour, not a follow-up born overdue.
        return due > now ? due : new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc).AddHours(1);
    }

    public static async Task<TimeZoneInfo> ZoneAsync(AidaDb db, CancellationToken cancellationToken)
    {
        var zoneId = await db.Set<User>().Where(u => u.Id == db.Operation.ActorId).Select(u => u.TimeZone).FirstOrDefaultAsync(cancellationToken);
        return zoneId is not null && TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var zone) ? zone : TimeZoneInfo.Utc;
    }
}
