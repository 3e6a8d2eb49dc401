namespace Aida.Platform.Events;

/// <summary>The event envelope of ARCHITECTURE.md: {id, type, subject, time, actor, data}.</summary>
public sealed record EventEnvelope(Guid Id, string Type, string Subject, DateTime Time, Guid Actor, string? RequestId, JsonElement Data);

/// <summary>A page of the feed; <c>nextCursor</c> is where to continue, even when the page is empty.</summary>
public sealed record EventPage(IReadOnlyList<EventEnvelope> Items, string NextCursor);

/// <summary>
/// <c>GET /api/v1/events?after=&lt;cursor&gt;</c>: the outbox in commit order, for pollers. A poller that
/// keeps the returned cursor sees every event exactly once, in order, and never misses one.
/// Commit order is the dialect's to know (<see cref="DatabaseDialect.ReadFeedAsync"/>): on SQLite,
/// commits happen one at a time, so the sequence number is commit order; on PostgreSQL the feed orders
/// by (transaction id, sequence) and serves only transactions that can no longer be overtaken.
/// </summary>
public static class EventFeed
{
    public static IEndpointRouteBuilder MapEvents(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/events").WithTags("Events").RequirePermission(Auth.Permissions.CustomersViewOwn);
        group.MapGet("/", Handle).WithName("Events_List")
            .WithSummary("Domain events in commit order. Pass the returned nextCursor as 'after' to continue.");
        return app;
    }

    public static async Task<Results<Ok<EventPage>, ValidationProblem>> Handle(
        string? after, int? limit, string? type, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var take = Paging.Limit(limit, errors);
        var position = Parse(after, db.Dialect, errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var rows = await db.Dialect.ReadFeedAsync(db, position, take, type, cancellationToken);

        var items = rows.Select(r => Envelope(db, r.Event)).ToList();
        var next = rows.Count > 0 ? rows[^1].Position : position;
        return TypedResults.Ok(new EventPage(items, db.Dialect.FormatFeedPosition(next)));
    }

    /// <summary>An event as the feed shows it to the actor of <paramref name="db"/> (sensitive fields only to those who may see them).</summary>
    public static EventEnvelope Envelope(AidaDb db, OutboxEvent e) =>
        new(e.Id, e.Type, e.Subject, e.OccurredAt, e.ActorId, e.RequestId, SensitiveFields.Shown(db, e.Data));

    /// <summary>The cursor a poller sent back; the start of the feed without one.</summary>
    internal static FeedPosition Parse(string? text, DatabaseDialect dialect, ValidationErrors errors, string field = "after")
    {
        if (string.IsNullOrEmpty(text))
        {
            return default;
        }

        if (dialect.TryParseFeedPosition(text, out var position))
        {
            return position;
        }

        errors.Add(field, "Is not a cursor returned by this feed; start from the beginning without it.");
        return default;
    }
}

/// <summary>
/// A place in the feed: the event's sequence number and, where the dialect orders by it, the id of the
/// transaction that wrote it (0 elsewhere). Its text form is the dialect's ("seq", "txid.seq").
/// </summary>
public readonly record struct FeedPosition(ulong Transaction, long Seq);
