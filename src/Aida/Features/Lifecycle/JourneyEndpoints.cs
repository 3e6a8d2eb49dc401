using System.Text.Json.Nodes;

namespace Aida.Features.Lifecycle;

/// <summary><c>GET /api/v1/customers/{id}/journey</c>: the customer's milestones, newest first, cursor-paged; <c>type</c> narrows to one kind.</summary>
public static class ListJourney
{
    private const string Sort = "-occurredAt";

    public static async Task<Results<Ok<Page<MilestoneResponse>>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, string? type, int? limit, string? cursor, AidaDb db, CancellationToken cancellationToken) =>
        (await RunAsync(id, type, limit, cursor, db, cancellationToken)).ToOk();

    public static async Task<Result<Page<MilestoneResponse>>> RunAsync(Guid id, string? type, int? limit, string? cursor, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var take = Paging.Limit(limit, errors);
        var after = Paging.DecodeTimeCursor(cursor, Sort, errors);
        MilestoneType? only = null;
        if (!string.IsNullOrWhiteSpace(type))
        {
            if (EnumText<MilestoneType>.TryParse(type.Trim(), out var parsed))
            {
                only = parsed;
            }
            else
            {
                errors.Add("type", "Must be one of " + string.Join(", ", EnumText<MilestoneType>.AllNames) + ".");
            }
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        if (!await db.Set<CustomerLifecycle>().AnyAsync(l => l.Id == id, cancellationToken))
        {
            return new Failure.NotFound("customer");
        }

        var query = db.Set<JourneyMilestone>().AsNoTracking().Where(m => m.CustomerId == id);
        if (only is { } wanted)
        {
            query = query.Where(m => m.MilestoneType == wanted);
        }

        if (after is (var time, var afterId))
        {
            query = query.Where(m => m.OccurredAt <= time && (m.OccurredAt < time || m.Id.CompareTo(afterId) < 0));
        }

        var rows = await query.OrderByDescending(m => m.OccurredAt).ThenByDescending(m => m.Id).Take(take + 1).ToListAsync(cancellationToken);
        var page = rows.Take(take).ToList();
        var next = rows.Count > take ? Paging.EncodeTimeCursor(Sort, page[^1].OccurredAt, page[^1].Id) : null;
        return Result.Ok(new Page<MilestoneResponse>(page.Select(m => m.ToResponse()).ToList(), next));
    }
}

/// <summary>
/// <c>POST /api/v1/customers/{id}/journey</c>: record a milestone Aida cannot see for itself (a referral
/// made, onboarding complete, an upsell, a support escalation) or any other of spec 002's types. First
/// contact and first purchase happen once (409 naming <c>milestoneType</c> when recorded already). Emits
/// <c>customer.milestone_reached</c>, as the milestones Aida records do.
/// </summary>
public static class RecordMilestone
{
    public sealed record Request(MilestoneType? MilestoneType, DateTimeOffset? OccurredAt, JsonObject? Details, string? Note);

    public static async Task<Results<Created<MilestoneResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, [FromBody] Request request, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(id, request, db, cancellationToken)).ToCreated(response, m => $"/api/v1/customers/{id}/journey/{m.Id}");

    public static async Task<Result<MilestoneResponse>> RunAsync(Guid id, Request request, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var now = db.Clock.UtcNow();
        if (request.MilestoneType is null)
        {
            errors.Add("milestoneType", "Is required: one of " + string.Join(", ", EnumText<MilestoneType>.AllNames) + ".");
        }

        var occurredAt = request.OccurredAt?.UtcDateTime ?? now;
        if (occurredAt > now + TimeSpan.FromMinutes(5))
        {
            errors.Add("occurredAt", "Must not be in the future: a milestone is something that has happened.");
        }

        var note = errors.OptionalText("note", request.Note, JourneyMilestone.NoteMaxLength);
        if (request.Details is { } details && details.ToJsonString().Length > 4000)
        {
            errors.Add("details", "Must be at most 4000 characters of JSON.");
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        await db.LockRowAsync<CustomerLifecycle>(id, cancellationToken);
        if (!await db.Set<CustomerLifecycle>().AnyAsync(l => l.Id == id, cancellationToken))
        {
            return new Failure.NotFound("customer");
        }

        var type = request.MilestoneType!.Value;
        if (Journey.IsOnce(type) && await Journey.HasAsync(db, id, type, cancellationToken))
        {
            return new Failure.Conflict("milestoneType", $"The customer already has a {EnumText<MilestoneType>.ToText(type)} milestone; it happens once.");
        }

        var milestone = Journey.Record(db, id, type, occurredAt, request.Details?.DeepClone().AsObject(), note, db.Operation.ActorId);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Result.Ok(milestone.ToResponse(), milestone.Version);
    }
}
