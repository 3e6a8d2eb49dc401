using Aida.Features.Customers;
using Aida.Features.Interactions.Notes;

namespace Aida.Features.Interactions;

public enum TimelineKind
{
    Interaction,
    Note,
    Activity,
    Change,

    /// <summary>A journey milestone (contributed by Lifecycle through <see cref="ITimelineSource"/>).</summary>
    Milestone,
}

/// <summary>
/// One entry of a customer's timeline. Interactions carry their type, direction and outcome; a completed
/// activity is the interaction its completion logged (kind "activity", with <see cref="ActivityId"/>);
/// notes carry their rendered Markdown; changes (the audit trail of the customer's own records) carry the
/// fields that changed (sensitive ones only for those who may see them, as in the audit log); milestones
/// carry their type in <see cref="EntityType"/> and what they are about in <see cref="Changes"/>.
/// </summary>
public sealed record TimelineItem(
    TimelineKind Kind,
    Guid Id,
    DateTime OccurredAt,
    Guid ActorId,
    string ActorName,
    string Title,
    string? Text,
    string? Html,
    InteractionType? InteractionType,
    Direction? Direction,
    InteractionOutcome? Outcome,
    Sentiment? Sentiment,
    int? DurationMinutes,
    bool Backdated,
    Guid? ActivityId,
    bool IsPinned,
    NoteVisibility? Visibility,
    string? EntityType,
    System.Text.Json.JsonElement? Changes,
    EmailDelivery? Delivery = null);

/// <summary>Where an email Aida sends stands, on its interaction's timeline entry: queued, sent, failed with the reason, bounced…</summary>
public sealed record EmailDelivery(Guid EmailId, Communications.EmailStatus Status, string? Reason, int Attempts, DateTime? NextAttemptAt);

public sealed record TimelinePage(IReadOnlyList<TimelineItem> Pinned, IReadOnlyList<TimelineItem> Items, string? NextCursor, DateTime From, DateTime To);

/// <summary>
/// Spec 002 "Timeline Construction": one chronological stream per customer, newest first, of
/// interactions, completed activities, notes, changes to the customer's records and what other features
/// contribute (<see cref="ITimelineSource"/>: journey milestones), filtered by kind or
/// interaction type, time range (default: the last 90 days) and actor; keyset-paged (the cursor holds the
/// time and id of the last entry). Pinned notes come first, on the first page, whatever their age, and
/// are not repeated in the stream. Each source is read as its own index range and the pages merged.
/// </summary>
public static class Timeline
{
    public static readonly TimeSpan DefaultPeriod = TimeSpan.FromDays(90);
    private const string Sort = "timeline";

    /// <summary>Audit entries already shown as entries of their own kind.</summary>
    private static readonly string[] ShownElsewhere = ["interaction", "note", "activity", "communication", "communication_reference", "notification"];

    public sealed record Filter(
        IReadOnlySet<TimelineKind> Kinds,
        IReadOnlySet<InteractionType> InteractionTypes,
        DateTime From,
        DateTime To,
        Guid? Actor);

    public static async Task<Results<Ok<TimelinePage>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid customerId,
        string? types,
        DateTimeOffset? from,
        DateTimeOffset? to,
        Guid? actor,
        int? limit,
        string? cursor,
        AidaDb db,
        [FromServices] IEnumerable<ITimelineSource> sources,
        [FromServices] Microsoft.Extensions.Options.IOptions<Email.EmailOptions> email,
        CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var take = Paging.Limit(limit, errors);
        var filter = ParseFilter(errors, types, from, to, actor, db.Clock.UtcNow());
        var after = ParseCursor(errors, cursor);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (!await db.Set<Customer>().AnyAsync(c => c.Id == customerId, cancellationToken))
        {
            return Problems.NotFound("customer");
        }

        return TypedResults.Ok(await ReadAsync(db, sources, customerId, filter!, after, take, cancellationToken, email.Value.DeliveryOn));
    }

    public static Filter? ParseFilter(ValidationErrors errors, string? types, DateTimeOffset? from, DateTimeOffset? to, Guid? actor, DateTime now)
    {
        var kinds = new HashSet<TimelineKind>();
        var interactionTypes = new HashSet<InteractionType>();
        foreach (var type in (types ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (EnumText<TimelineKind>.TryParse(type, out var kind))
            {
                kinds.Add(kind);
            }
            else if (EnumText<InteractionType>.TryParse(type, out var interactionType))
            {
                interactionTypes.Add(interactionType);
            }
            else
            {
                errors.Add("types", "Each type must be one of " + string.Join(", ", EnumText<TimelineKind>.AllNames.Concat(EnumText<InteractionType>.AllNames)) + ".");
                return null;
            }
        }

        if (kinds.Count == 0 && interactionTypes.Count == 0)
        {
            kinds.UnionWith(Enum.GetValues<TimelineKind>());
        }

        // An upper bound a little ahead of now: a call logged a moment ago on a fast clock still shows.
        var end = to?.UtcDateTime ?? now + InteractionRules.FutureTolerance;
        var start = from?.UtcDateTime ?? end - DefaultPeriod;
        if (start >= end)
        {
            errors.Add("from", "Must be before to.");
        }

        return new Filter(kinds, interactionTypes, start, end, actor);
    }

    public static (DateTime Time, Guid Id)? ParseCursor(ValidationErrors errors, string? cursor) => Paging.DecodeTimeCursor(cursor, Sort, errors);

    public static async Task<TimelinePage> ReadAsync(
        AidaDb db, IEnumerable<ITimelineSource> sources, Guid customerId, Filter filter, (DateTime Time, Guid Id)? after, int take, CancellationToken cancellationToken, bool deliveryOn = true)
    {
        var contributed = sources.ToList();
        var (from, to) = (filter.From, filter.To);
        var (afterTime, afterId) = after ?? (to, Guid.Empty);
        var first = after is null;
        var entries = new List<Entry>();

        var wantInteractions = filter.Kinds.Contains(TimelineKind.Interaction) || filter.InteractionTypes.Count > 0;
        if (wantInteractions || filter.Kinds.Contains(TimelineKind.Activity))
        {
            var query = db.Set<Interaction>().AsNoTracking()
                .Where(i => i.CustomerId == customerId && i.OccurredAt >= from && i.OccurredAt < to);
            if (!filter.Kinds.Contains(TimelineKind.Interaction))
            {
                // Only some: completed activities, and/or interactions of the named types.
                var types = filter.InteractionTypes.ToList();
                var activities = filter.Kinds.Contains(TimelineKind.Activity);
                query = query.Where(i => (activities && i.ActivityId != null) || types.Contains(i.InteractionType));
            }

            if (filter.Actor is { } actor)
            {
                query = query.Where(i => i.CreatedBy == actor);
            }

            query = first
                ? query
                : query.Where(i => i.OccurredAt <= afterTime && (i.OccurredAt < afterTime || i.Id.CompareTo(afterId) < 0));
            var rows = await query.OrderByDescending(i => i.OccurredAt).ThenByDescending(i => i.Id).Take(take + 1).ToListAsync(cancellationToken);
            entries.AddRange(rows.Select(i => new Entry(i.OccurredAt, i.Id, i.CreatedBy, i)));
        }

        var pinned = new List<Note>();
        if (filter.Kinds.Contains(TimelineKind.Note))
        {
            var notes = db.Set<Note>().AsNoTracking().Where(n => n.CustomerId == customerId);
            if (filter.Actor is { } actor)
            {
                notes = notes.Where(n => n.CreatedBy == actor);
            }

            if (first)
            {
                pinned = await notes.Where(n => n.IsPinned).OrderByDescending(n => n.CreatedAt).Take(Paging.MaxLimit).ToListAsync(cancellationToken);
            }

            var stream = notes.Where(n => !n.IsPinned && n.CreatedAt >= from && n.CreatedAt < to);
            stream = first ? stream : stream.Where(n => n.CreatedAt <= afterTime && (n.CreatedAt < afterTime || n.Id.CompareTo(afterId) < 0));
            var rows = await stream.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(take + 1).ToListAsync(cancellationToken);
            entries.AddRange(rows.Select(n => new Entry(n.CreatedAt, n.Id, n.CreatedBy, n)));
        }

        if (filter.Kinds.Contains(TimelineKind.Change))
        {
            var shownElsewhere = ShownElsewhere.Concat(contributed.SelectMany(c => c.AuditedEntityTypes)).ToArray();
            var changes = db.Set<AuditEntry>().AsNoTracking()
                .Where(a => a.CustomerId == customerId && !shownElsewhere.Contains(a.EntityType) && a.OccurredAt >= from && a.OccurredAt < to);
            if (filter.Actor is { } actor)
            {
                changes = changes.Where(a => a.ActorId == actor);
            }

            changes = first ? changes : changes.Where(a => a.OccurredAt <= afterTime && (a.OccurredAt < afterTime || a.Id.CompareTo(afterId) < 0));
            var rows = await changes.OrderByDescending(a => a.OccurredAt).ThenByDescending(a => a.Id).Take(take + 1).ToListAsync(cancellationToken);
            entries.AddRange(rows.Select(a => new Entry(a.OccurredAt, a.Id, a.ActorId, a)));
        }

        foreach (var source in contributed.Where(c => filter.Kinds.Contains(c.Kind)))
        {
            var items = await source.ReadAsync(db, customerId, new TimelineWindow(from, to, after, filter.Actor, take + 1), cancellationToken);
            entries.AddRange(items.Select(i => new Entry(i.OccurredAt, i.Id, i.ActorId, i)));
        }

        // Newest first; ties broken by id the way the databases order them (as text, which is also uuid order).
        var page = entries
            .OrderByDescending(e => e.Time).ThenByDescending(e => e.Id.ToString(), StringComparer.Ordinal)
            .Take(take + 1).ToList();
        var more = page.Count > take;
        page = page.Take(take).ToList();

        // Emails Aida sends carry their delivery status (one query for the page's interactions).
        var interactionIds = page.Select(e => e.Record).OfType<Interaction>().Where(i => i.InteractionType == InteractionType.Email && i.Direction == Direction.Outbound).Select(i => i.Id).ToList();
        var deliveries = interactionIds.Count == 0
            ? []
            : await db.Set<Communications.Communication>().AsNoTracking()
                .Where(c => c.InteractionId != null && interactionIds.Contains(c.InteractionId.Value) && c.DeliveryStatus != null)
                .ToDictionaryAsync(c => c.InteractionId!.Value, cancellationToken);

        var actorIds = page.Where(e => e.Record is not TimelineItem).Select(e => e.Actor).Concat(pinned.Select(n => n.CreatedBy)).Distinct().ToList();
        var names = await db.Set<User>().Where(u => actorIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        string NameOf(Guid id) => names.GetValueOrDefault(id, "Someone");

        var next = more
            ? Paging.EncodeTimeCursor(Sort, page[^1].Time, page[^1].Id)
            : null;
        return new TimelinePage(
            pinned.Select(n => ToItem(n, NameOf(n.CreatedBy))).ToList(),
            page.Select(e => e.Record switch
            {
                Interaction i => ToItem(i, NameOf(e.Actor)) with
                {
                    Delivery = deliveries.GetValueOrDefault(i.Id) is { } c
                        ? new EmailDelivery(c.Id, c.DeliveryStatus!.Value, Email.EmailMapping.Reason(c, deliveryOn), c.DeliveryAttempts, c.DeliveryStatus == Communications.EmailStatus.Queued ? c.NextAttemptAt : null)
                        : null,
                },
                Note n => ToItem(n, NameOf(e.Actor)),
                AuditEntry a => ToItem(a, SensitiveFields.Shown(db, a.Changes)),
                TimelineItem item => item,
                _ => throw new InvalidOperationException("Unknown timeline entry."),
            }).ToList(),
            next,
            from,
            to);
    }

    private sealed record Entry(DateTime Time, Guid Id, Guid Actor, object Record);

    private static TimelineItem ToItem(Interaction i, string actorName) => new(
        i.ActivityId is null ? TimelineKind.Interaction : TimelineKind.Activity, i.Id, i.OccurredAt, i.CreatedBy, actorName,
        i.Subject ?? DefaultTitle(i), i.Description, null, i.InteractionType, i.Direction, i.Outcome, i.Sentiment,
        i.DurationMinutes, i.IsBackdated, i.ActivityId, false, null, null, null);

    private static TimelineItem ToItem(Note n, string actorName) => new(
        TimelineKind.Note, n.Id, n.CreatedAt, n.CreatedBy, actorName, n.Title ?? "Note", n.Content, NoteMarkdown.ToHtml(n.Content),
        null, null, null, null, null, false, null, n.IsPinned, n.Visibility, null, null);

    /// <summary>
    /// A change: for an update, the fields that changed; for a create or delete, which record it was (its
    /// name), since listing every initial value says little.
    /// </summary>
    private static TimelineItem ToItem(AuditEntry a, System.Text.Json.JsonElement changes) => new(
        TimelineKind.Change, a.Id, a.OccurredAt, a.ActorId, a.ActorName,
        $"{Capitalize(a.EntityType.Replace('_', ' '))} {EnumText<AuditAction>.ToText(a.Action)}d",
        a.Action == AuditAction.Update ? null : NameIn(changes), null, null, null, null, null, null, false, null, false, null, a.EntityType,
        a.Action == AuditAction.Update ? changes : null);

    private static string? NameIn(System.Text.Json.JsonElement changes)
    {
        string? Value(string field) =>
            changes.ValueKind == System.Text.Json.JsonValueKind.Object && changes.TryGetProperty(field, out var change)
            && change.ValueKind == System.Text.Json.JsonValueKind.Object && change.TryGetProperty("to", out var to)
            && to.ValueKind == System.Text.Json.JsonValueKind.String
                ? to.GetString()
                : null;

        var parts = new[] { Value("displayName"), Value("legalName"), Value("firstName"), Value("lastName"), Value("streetLine1"), Value("city") }
            .Where(p => !string.IsNullOrEmpty(p)).ToList();
        return parts.Count == 0 ? null : string.Join(' ', parts);
    }

    private static string DefaultTitle(Interaction i) =>
        Capitalize(EnumText<InteractionType>.ToText(i.InteractionType).Replace('_', ' ')) + (i.Direction == Direction.Inbound ? " received" : "");

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
