using Aida.Platform.Jobs;
using System.Data.Common;
using Microsoft.Extensions.Options;

namespace Aida.Features.Segments;

public sealed class SegmentOptions
{
    /// <summary>How often the scheduled (mostly incremental) recalculation runs.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Every segment is evaluated in full at least this often (WF-LC-003's weekly full run, made daily): a safety net for changes no changed-at records, such as a rep moving team.</summary>
    public TimeSpan FullRunEvery { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// An incremental run looks at changes from this long before the last run started: a transaction that
    /// stamped its rows before that run began but committed after it is still seen.
    /// </summary>
    public TimeSpan Overlap { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Off: only on-demand and on-save runs (tests turn the schedule off and drive it themselves).</summary>
    public bool Scheduled { get; set; } = true;
}

/// <summary>What one recalculation did.</summary>
public sealed record SegmentRunResult(Guid SegmentId, SegmentRunKind Kind, SegmentRunReason Reason, int Evaluated, int Added, int Removed, int MemberCount, int Conflicts);

/// <summary>
/// Recalculates dynamic segments with set-based SQL: members who no longer match are deleted and new matches
/// inserted by two statements, over every customer (full) or only those changed since the segment's last run
/// (incremental: a customer, contact, account, address or lifecycle row with a newer <c>updated_at</c>).
/// Each run is one write transaction under <see cref="LockName.SegmentRecalculation"/>, logged in
/// segment_runs with its counts, and announced by one <c>segment.recalculated</c> event with the counts (not an
/// event per member: a run can add 100,000).
/// </summary>
public static class SegmentRecalculation
{
    public static async Task<SegmentRunResult?> RunAsync(AidaDb db, Guid segmentId, SegmentRunReason reason, DateTime? changedSince, CancellationToken cancellationToken)
    {
        var startedAt = db.Clock.UtcNow();
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        await db.LockAsync(LockName.SegmentRecalculation, cancellationToken);
        var segment = await db.Set<Segment>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == segmentId, cancellationToken);
        if (segment is not { Type: SegmentType.Dynamic, IsActive: true, Criteria: not null })
        {
            return null;
        }

        var criteria = SegmentCriteria.ParseStored(segment.Criteria);
        var kind = changedSince is null ? SegmentRunKind.Full : SegmentRunKind.Incremental;
        var changedSources = criteria.Conditions().Select(c => c.Field.Source.ChangedSince)
            .Prepend(FieldSource.Customer.ChangedSince).Distinct(StringComparer.Ordinal).ToList();

        // One statement's SQL and its own arguments (placeholders are numbered per statement).
        (string Sql, object[] Arguments) Statement(Func<CriteriaSql, string, string, string> body)
        {
            var sql = new CriteriaSql(db.Dialect, startedAt);
            var prefix = "";
            var inChanged = "";
            if (changedSince is not null)
            {
                var since = sql.Parameter(changedSince.Value);
                prefix = "WITH changed (id) AS (" + string.Join(" UNION ", changedSources.Select(s => s.Replace("@t", since, StringComparison.Ordinal))) + ") ";
                inChanged = " IN (SELECT id FROM changed)";
            }

            var text = body(sql, MatchSql(sql, criteria, segment), inChanged);
            return (prefix + text, sql.Arguments.ToArray());
        }

        var removeSql = Statement((sql, match, inChanged) =>
            $"DELETE FROM segment_members WHERE segment_id = {sql.Parameter(segment.Id)}"
            + (inChanged.Length > 0 ? " AND customer_id" + inChanged : "")
            + $" AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = segment_members.customer_id AND {match})");
        var removed = await db.Database.ExecuteSqlRawAsync(removeSql.Sql, removeSql.Arguments, cancellationToken);

        var addSql = Statement((sql, match, inChanged) =>
            $"INSERT INTO segment_members (segment_id, customer_id, added_at) SELECT {sql.Parameter(segment.Id)}, c.id, {sql.Parameter(startedAt)} FROM customers c WHERE {match}"
            + (inChanged.Length > 0 ? " AND c.id" + inChanged : "")
            + $" AND NOT EXISTS (SELECT 1 FROM segment_members m WHERE m.segment_id = {sql.Parameter(segment.Id)} AND m.customer_id = c.id)");
        var added = await db.Database.ExecuteSqlRawAsync(addSql.Sql, addSql.Arguments, cancellationToken);

        var evaluatedSql = changedSince is null
            ? ("SELECT count(*) AS \"Value\" FROM customers WHERE deleted_at IS NULL", Array.Empty<object>())
            : Statement((_, _, _) => "SELECT count(*) AS \"Value\" FROM changed");
        var evaluated = await ScalarAsync(db, evaluatedSql.Item1, evaluatedSql.Item2, cancellationToken);
        var memberCount = await CountMembersAsync(db, segment.Id, cancellationToken);

        // Conflicts are counted by full runs, which see every customer; an incremental run keeps the last figure.
        var conflicts = segment.ConflictCount;
        if (segment.ExclusionGroup is null)
        {
            conflicts = 0;
        }
        else if (kind == SegmentRunKind.Full)
        {
            var sql = new CriteriaSql(db.Dialect, startedAt);
            var criteriaOnly = "c.deleted_at IS NULL AND " + sql.Compile(criteria);
            var higher = Higher(sql, segment);
            conflicts = await ScalarAsync(db, $"SELECT count(*) AS \"Value\" FROM customers c WHERE {criteriaOnly} AND EXISTS ({higher})", sql.Arguments.ToArray(), cancellationToken);
        }

        var finishedAt = db.Clock.UtcNow();
        var lastFullRunAt = kind == SegmentRunKind.Full ? startedAt : segment.LastFullRunAt;
        await db.Set<Segment>().Where(s => s.Id == segment.Id).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.MemberCount, memberCount)
            .SetProperty(x => x.ConflictCount, conflicts)
            .SetProperty(x => x.LastCalculatedAt, finishedAt)
            .SetProperty(x => x.LastRunStartedAt, startedAt)
            .SetProperty(x => x.LastFullRunAt, lastFullRunAt)
            .SetProperty(x => x.NeedsFullRun, false), cancellationToken);
        await RecordSizeAsync(db, segment.Id, DateOnly.FromDateTime(finishedAt), memberCount, cancellationToken);

        var run = new SegmentRun
        {
            SegmentId = segment.Id,
            Kind = kind,
            Reason = reason,
            StartedAt = startedAt,
            FinishedAt = finishedAt,
            Evaluated = evaluated,
            Added = added,
            Removed = removed,
            MemberCount = memberCount,
            Conflicts = conflicts,
            Status = SegmentRunStatus.Succeeded,
        };
        db.Add(run);
        if (kind == SegmentRunKind.Full || added + removed > 0)
        {
            db.Publish("segment.recalculated", SegmentMapping.Subject(segment.Id), () => new
            {
                segmentId = segment.Id,
                kind = EnumText<SegmentRunKind>.ToText(kind),
                reason = EnumText<SegmentRunReason>.ToText(reason),
                evaluated,
                added,
                removed,
                memberCount,
                conflicts,
            });
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new SegmentRunResult(segment.Id, kind, reason, evaluated, added, removed, memberCount, conflicts);
    }

    /// <summary>
    /// <see cref="RunAsync"/>, and on failure a failed run in the log instead of an exception: the segment keeps
    /// its members and is run in full by the next scheduled run.
    /// </summary>
    public static async Task<SegmentRunResult?> TryRunAsync(IServiceScopeFactory scopes, Guid segmentId, SegmentRunReason reason, DateTime? changedSince, ILogger logger, CancellationToken cancellationToken, Guid? actorId = null)
    {
        var startedAt = DateTime.UtcNow;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<OperationContext>().BecomeSystem();
            var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
            startedAt = db.Clock.UtcNow();
            var result = await RunAsync(db, segmentId, reason, changedSince, cancellationToken);
            if (result is not null)
            {
                logger.LogInformation("Segment {SegmentId} recalculated ({Kind}, {Reason}): {Evaluated} evaluated, {Added} added, {Removed} removed, {Members} members",
                    result.SegmentId, result.Kind, result.Reason, result.Evaluated, result.Added, result.Removed, result.MemberCount);
            }

            return result;
        }
        catch (Exception e) when (e is DbException or DbUpdateException or InvalidOperationException or TimeoutException)
        {
            logger.LogWarning(e, "Recalculating segment {SegmentId} failed", segmentId);
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<OperationContext>().BecomeSystem();
            var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
            db.Add(new SegmentRun
            {
                SegmentId = segmentId,
                Kind = changedSince is null ? SegmentRunKind.Full : SegmentRunKind.Incremental,
                Reason = reason,
                StartedAt = startedAt,
                FinishedAt = db.Clock.UtcNow(),
                Status = SegmentRunStatus.Failed,
                Error = e.GetType().Name,
            });
            await db.Set<Segment>().Where(s => s.Id == segmentId).ExecuteUpdateAsync(s => s.SetProperty(x => x.NeedsFullRun, true), cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }
    }

    /// <summary>
    /// A full run of the segment, then of every active segment whose membership depends on it (those naming it,
    /// lower-priority segments of its exclusion group, and so on), dependencies first.
    /// </summary>
    public static async Task<SegmentRunResult?> RunWithDependentsAsync(IServiceScopeFactory scopes, Guid segmentId, SegmentRunReason reason, ILogger logger, CancellationToken cancellationToken)
    {
        var result = await TryRunAsync(scopes, segmentId, reason, null, logger, cancellationToken);
        List<Segment> segments;
        await using (var scope = scopes.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<OperationContext>().BecomeSystem();
            var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
            segments = await db.Set<Segment>().AsNoTracking().Where(s => s.Type == SegmentType.Dynamic && s.IsActive && s.Criteria != null).ToListAsync(cancellationToken);
        }

        var dependencies = SegmentDependencies.Of(segments, segments.ToDictionary(s => s.Id, s => SegmentCriteria.ParseStored(s.Criteria!)));
        var affected = new HashSet<Guid> { segmentId };
        foreach (var segment in SegmentDependencies.Order(segments, dependencies))
        {
            if (segment.Id != segmentId && dependencies[segment.Id].Any(affected.Contains))
            {
                affected.Add(segment.Id);
                await TryRunAsync(scopes, segment.Id, SegmentRunReason.Dependency, null, logger, cancellationToken);
            }
        }

        return result;
    }

    /// <summary>The condition a customer must meet to be a member: live, matching, and not taken by a higher-priority segment of its exclusion group.</summary>
    private static string MatchSql(CriteriaSql sql, CriteriaNode criteria, Segment segment)
    {
        var match = "c.deleted_at IS NULL AND " + sql.Compile(criteria);
        return segment.ExclusionGroup is null ? match : $"{match} AND NOT EXISTS ({Higher(sql, segment)})";
    }

    /// <summary>
    /// The customer's membership of a segment that outranks <paramref name="segment"/> in its exclusion group:
    /// higher priority, or the same priority and created earlier.
    /// </summary>
    private static string Higher(CriteriaSql sql, Segment segment) =>
        "SELECT 1 FROM segment_members x JOIN segments xs ON xs.id = x.segment_id"
        + $" WHERE x.customer_id = c.id AND xs.exclusion_group = {sql.Parameter(segment.ExclusionGroup!)} AND xs.deleted_at IS NULL"
        + $" AND xs.is_active = {sql.Parameter(true)} AND xs.id <> {sql.Parameter(segment.Id)}"
        + $" AND (xs.priority > {sql.Parameter(segment.Priority)} OR (xs.priority = {sql.Parameter(segment.Priority)} AND xs.id < {sql.Parameter(segment.Id)}))";

    public static async Task<int> CountMembersAsync(AidaDb db, Guid segmentId, CancellationToken cancellationToken) =>
        await ScalarAsync(db, "SELECT count(*) AS \"Value\" FROM segment_members WHERE segment_id = {0}", [db.Dialect.SqlValue(segmentId)], cancellationToken);

    public static async Task RecordSizeAsync(AidaDb db, Guid segmentId, DateOnly day, int memberCount, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlRawAsync(
            "INSERT INTO segment_sizes (segment_id, day, member_count) VALUES ({0}, {1}, {2}) ON CONFLICT (segment_id, day) DO UPDATE SET member_count = excluded.member_count",
            [db.Dialect.SqlValue(segmentId), db.Dialect.SqlValue(day), memberCount], cancellationToken);

    private static async Task<int> ScalarAsync(AidaDb db, string sql, object[] arguments, CancellationToken cancellationToken) =>
        (int)await db.Database.SqlQueryRaw<long>(sql, arguments).SingleAsync(cancellationToken);
}

/// <summary>
/// The scheduled recalculation (spec 002 Segment AC-1, WF-LC-003 step 4): every active dynamic segment, in
/// dependency order (a segment after the segments its criteria name and after the higher-priority segments of
/// its exclusion group). A segment runs incrementally unless it must run in full: its criteria, priority or
/// group changed; it has never run; its criteria use relative dates (time alone changes who matches); its
/// last full run is older than <see cref="SegmentOptions.FullRunEvery"/>; or a segment it depends on ran in
/// full since (its members may have changed for customers that did not). Several nodes may run this; each
/// segment's run takes the recalculation lock, so runs never interleave.
/// </summary>
public sealed class SegmentSchedule(IServiceScopeFactory scopes, TimeProvider clock, IOptions<SegmentOptions> options, ILogger<SegmentSchedule> logger)
    : IScheduledJob
{
    public string Name => "segments.recalculate";

    public string Description => "Recalculates every active dynamic segment: incrementally for customers changed since the last run, in full when needed.";

    public TimeSpan Interval => options.Value.Interval;

    public bool Enabled => options.Value.Scheduled;

    /// <summary>Items: the customers evaluated over all segments.</summary>
    public async Task<JobOutcome> RunAsync(CancellationToken cancellationToken) =>
        new((await RunOnceAsync(cancellationToken)).Sum(r => r.Evaluated));

    /// <summary>One scheduled pass over every active dynamic segment; the runs it made.</summary>
    public async Task<IReadOnlyList<SegmentRunResult>> RunOnceAsync(CancellationToken cancellationToken)
    {
        List<Segment> segments;
        await using (var scope = scopes.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<OperationContext>().BecomeSystem();
            var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
            segments = await db.Set<Segment>().AsNoTracking()
                .Where(s => s.Type == SegmentType.Dynamic && s.IsActive && s.Criteria != null)
                .ToListAsync(cancellationToken);
        }

        var now = clock.UtcNow();
        var parsed = segments.ToDictionary(s => s.Id, s => SegmentCriteria.ParseStored(s.Criteria!));
        var dependencies = SegmentDependencies.Of(segments, parsed);
        var ranFull = new HashSet<Guid>();
        var sinceUsed = new Dictionary<Guid, DateTime>();
        var results = new List<SegmentRunResult>();
        foreach (var segment in SegmentDependencies.Order(segments, dependencies))
        {
            var deps = dependencies[segment.Id];
            var reason = SegmentRunReason.Scheduled;
            DateTime? since = null;
            if (segment.NeedsFullRun || segment.LastRunStartedAt is null)
            {
                reason = SegmentRunReason.CriteriaChanged;
            }
            else if (parsed[segment.Id].UsesRelativeDates)
            {
                reason = SegmentRunReason.RelativeDates;
            }
            else if (segment.LastFullRunAt is null || now - segment.LastFullRunAt.Value >= options.Value.FullRunEvery)
            {
                reason = SegmentRunReason.Periodic;
            }
            else if (deps.Any(d => ranFull.Contains(d) || segments.First(s => s.Id == d).LastFullRunAt > segment.LastRunStartedAt))
            {
                reason = SegmentRunReason.Dependency;
            }
            else
            {
                // Customers whose membership of a dependency this pass may have changed are those it looked at.
                since = deps.Where(sinceUsed.ContainsKey).Select(d => sinceUsed[d])
                    .Append(segment.LastRunStartedAt.Value - options.Value.Overlap).Min();
            }

            var result = await SegmentRecalculation.TryRunAsync(scopes, segment.Id, reason, since, logger, cancellationToken);
            if (since is null)
            {
                ranFull.Add(segment.Id);
            }
            else
            {
                sinceUsed[segment.Id] = since.Value;
            }

            if (result is not null)
            {
                results.Add(result);
            }
        }

        return results;
    }
}

/// <summary>Which segments a segment's membership depends on, and an order that runs dependencies first.</summary>
public static class SegmentDependencies
{
    public static Dictionary<Guid, List<Guid>> Of(IReadOnlyList<Segment> segments, IReadOnlyDictionary<Guid, CriteriaNode> criteria)
    {
        var ids = segments.Select(s => s.Id).ToHashSet();
        return segments.ToDictionary(s => s.Id, s => criteria[s.Id].ReferencedSegments.Where(ids.Contains)
            .Concat(s.ExclusionGroup is null ? [] : segments
                .Where(o => o.Id != s.Id && o.ExclusionGroup == s.ExclusionGroup && Outranks(o, s))
                .Select(o => o.Id))
            .Distinct().ToList());
    }

    public static bool Outranks(Segment a, Segment b) => a.Priority > b.Priority || (a.Priority == b.Priority && string.CompareOrdinal(a.Id.ToString(), b.Id.ToString()) < 0);

    /// <summary>Dependencies first; among segments ready together, higher priority first. Cycles are refused on save, so every segment is placed.</summary>
    public static List<Segment> Order(IReadOnlyList<Segment> segments, Dictionary<Guid, List<Guid>> dependencies)
    {
        var placed = new HashSet<Guid>();
        var order = new List<Segment>();
        var remaining = segments.OrderByDescending(s => s.Priority).ThenBy(s => s.Id.ToString(), StringComparer.Ordinal).ToList();
        while (remaining.Count > 0)
        {
            var next = remaining.FirstOrDefault(s => dependencies[s.Id].All(placed.Contains)) ?? remaining[0];
            order.Add(next);
            placed.Add(next.Id);
            remaining.Remove(next);
        }

        return order;
    }
}
