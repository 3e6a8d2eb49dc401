using System.Globalization;
using System.Text.Json;
using Aida.Platform.Auth;
using Aida.Platform.Data;
using Aida.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Aida.Platform.Events;

/// <summary>The event envelope of ARCHITECTURE.md: {id, type, subject, time, actor, data}.</summary>
public sealed record EventEnvelope(Guid Id, string Type, string Subject, DateTime Time, Guid Actor, string? RequestId, JsonElement Data);

/// <summary>A page of the feed; <c>nextCursor</c> is where to continue, even when the page is empty.</summary>
public sealed record EventPage(IReadOnlyList<EventEnvelope> Items, string NextCursor);

/// <summary>
/// <c>GET /api/v1/events?after=&lt;cursor&gt;</c>: the outbox in commit order, for pollers. A poller that
/// keeps the returned cursor sees every event exactly once, in order, and never misses one.
/// On SQLite, commits happen one at a time, so the sequence number is commit order. On PostgreSQL
/// sequence numbers are taken before commit, so a later number can become visible first; the feed
/// therefore orders by (transaction id, sequence) and only serves events of transactions older than
/// every transaction still running (pg_snapshot_xmin), which cannot be overtaken any more.
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
        var position = Position.Parse(after, db.Provider, errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var rows = db.Provider == DatabaseProvider.Sqlite
            ? await ReadSqliteAsync(db, position, take, type, cancellationToken)
            : await ReadPostgresAsync(db, position, take, type, cancellationToken);

        var items = rows.Select(r => new EventEnvelope(
            r.Event.Id, r.Event.Type, r.Event.Subject, r.Event.OccurredAt, r.Event.ActorId, r.Event.RequestId,
            SensitiveFields.Shown(db, r.Event.Data))).ToList();
        var next = rows.Count > 0 ? rows[^1].Position : position;
        return TypedResults.Ok(new EventPage(items, next.ToString()));
    }

    private static async Task<List<(OutboxEvent Event, Position Position)>> ReadSqliteAsync(
        AidaDb db, Position after, int take, string? type, CancellationToken cancellationToken)
    {
        var query = db.Set<OutboxEvent>().AsNoTracking().Where(e => e.Seq > after.Seq);
        if (!string.IsNullOrEmpty(type))
        {
            query = query.Where(e => e.Type == type);
        }

        var events = await query.OrderBy(e => e.Seq).Take(take).ToListAsync(cancellationToken);
        return events.Select(e => (e, new Position(false, 0, e.Seq))).ToList();
    }

    private static async Task<List<(OutboxEvent Event, Position Position)>> ReadPostgresAsync(
        AidaDb db, Position after, int take, string? type, CancellationToken cancellationToken)
    {
        var tx = after.Transaction.ToString(CultureInfo.InvariantCulture);
        var query = db.Set<OutboxEvent>().FromSql($"""
            SELECT * FROM events
            WHERE (tx_id, seq) > ({tx}::xid8, {after.Seq})
              AND tx_id < pg_snapshot_xmin(pg_current_snapshot())
            """).AsNoTracking();
        if (!string.IsNullOrEmpty(type))
        {
            query = query.Where(e => e.Type == type);
        }

        var events = await query
            .OrderBy(e => EF.Property<ulong>(e, "TxId")).ThenBy(e => e.Seq)
            .Take(take)
            .Select(e => new { Event = e, TxId = EF.Property<ulong>(e, "TxId") })
            .ToListAsync(cancellationToken);
        return events.Select(e => (e.Event, new Position(true, e.TxId, e.Event.Seq))).ToList();
    }

    /// <summary>A place in the feed: "seq" on SQLite, "txid.seq" on PostgreSQL.</summary>
    private readonly record struct Position(bool Postgres, ulong Transaction, long Seq)
    {
        public static Position Parse(string? text, DatabaseProvider provider, ValidationErrors errors)
        {
            var postgres = provider == DatabaseProvider.Postgres;
            if (string.IsNullOrEmpty(text))
            {
                return new Position(postgres, 0, 0);
            }

            var parts = text.Split('.');
            const NumberStyles digits = NumberStyles.None;
            var culture = CultureInfo.InvariantCulture;
            if (!postgres && parts.Length == 1 && long.TryParse(parts[0], digits, culture, out var seq))
            {
                return new Position(false, 0, seq);
            }

            if (postgres && parts.Length == 2
                && ulong.TryParse(parts[0], digits, culture, out var transaction)
                && long.TryParse(parts[1], digits, culture, out seq))
            {
                return new Position(true, transaction, seq);
            }

            errors.Add("after", "Is not a cursor returned by this feed; start from the beginning without it.");
            return new Position(postgres, 0, 0);
        }

        public override string ToString() => Postgres
            ? string.Create(CultureInfo.InvariantCulture, $"{Transaction}.{Seq}")
            : Seq.ToString(CultureInfo.InvariantCulture);
    }
}
