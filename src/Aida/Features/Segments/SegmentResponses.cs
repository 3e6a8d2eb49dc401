using Aida.Features.Customers;

namespace Aida.Features.Segments;

public sealed record SegmentRunSummary(string Kind, string Reason, DateTime StartedAt, DateTime? FinishedAt, int Evaluated, int Added, int Removed, int MemberCount, string Status);

/// <summary>
/// A segment as the API shows it. <see cref="MemberCount"/> is the viewer's count: members in their reach.
/// <see cref="ConflictCount"/> (customers its criteria match who belong to a higher-priority segment of its
/// exclusion group) is a count over every customer, so only those who reach every customer are told it.
/// </summary>
public sealed record SegmentResponse(
    Guid Id,
    string Name,
    string? Description,
    SegmentType Type,
    JsonElement? Criteria,
    int Priority,
    string? ExclusionGroup,
    bool IsActive,
    int MemberCount,
    int? ConflictCount,
    DateTime? LastCalculatedAt,
    bool NeedsFullRun,
    SegmentRunSummary? LastRun,
    Guid CreatedBy,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    int Version);

public sealed record SegmentSampleCustomer(Guid Id, string DisplayName);

public static class SegmentMapping
{
    public static string Subject(Guid id) => $"segments/{id}";

    public static SegmentResponse ToResponse(this Segment segment, int viewerCount, bool reachesAll, SegmentRun? lastRun) => new(
        segment.Id,
        segment.Name,
        segment.Description,
        segment.Type,
        segment.Criteria is null ? null : JsonDocument.Parse(segment.Criteria).RootElement.Clone(),
        segment.Priority,
        segment.ExclusionGroup,
        segment.IsActive,
        viewerCount,
        reachesAll ? segment.ConflictCount : null,
        segment.LastCalculatedAt,
        segment.NeedsFullRun,
        lastRun is null ? null : new SegmentRunSummary(EnumText<SegmentRunKind>.ToText(lastRun.Kind), EnumText<SegmentRunReason>.ToText(lastRun.Reason),
            lastRun.StartedAt, lastRun.FinishedAt, lastRun.Evaluated, lastRun.Added, lastRun.Removed, lastRun.MemberCount, EnumText<SegmentRunStatus>.ToText(lastRun.Status)),
        segment.CreatedBy,
        segment.CreatedAt,
        segment.UpdatedAt,
        segment.Version);
}

/// <summary>
/// Segments seen by one viewer: members are customers, and a customer out of the viewer's reach is not counted,
/// listed or exported (the customer query filter applies to every query here).
/// </summary>
public static class SegmentReach
{
    /// <summary>The segment's members the viewer reaches.</summary>
    public static IQueryable<Customer> Members(AidaDb db, Guid segmentId) =>
        db.Set<Customer>().Where(c => db.Set<SegmentMember>().Any(m => m.SegmentId == segmentId && m.CustomerId == c.Id));

    /// <summary>
    /// Member counts for the viewer. Someone who reaches every customer is told the cached full count of a
    /// dynamic segment (kept by every run); anyone else, and static segments, are counted now.
    /// </summary>
    public static async Task<Dictionary<Guid, int>> CountsAsync(AidaDb db, IReadOnlyList<Segment> segments, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<Guid, int>();
        var toCount = new List<Guid>();
        foreach (var segment in segments)
        {
            if (db.ReachesAllCustomers && segment.Type == SegmentType.Dynamic)
            {
                counts[segment.Id] = segment.MemberCount;
            }
            else
            {
                toCount.Add(segment.Id);
            }
        }

        if (toCount.Count > 0)
        {
            var counted = await db.Set<SegmentMember>()
                .Where(m => toCount.Contains(m.SegmentId) && db.Set<Customer>().Any(c => c.Id == m.CustomerId))
                .GroupBy(m => m.SegmentId)
                .Select(g => new { g.Key, Count = g.Count() })
                .ToListAsync(cancellationToken);
            foreach (var id in toCount)
            {
                counts[id] = counted.FirstOrDefault(c => c.Key == id)?.Count ?? 0;
            }
        }

        return counts;
    }

    public static async Task<Dictionary<Guid, SegmentRun>> LastRunsAsync(AidaDb db, IReadOnlyList<Guid> ids, CancellationToken cancellationToken)
    {
        var runs = new Dictionary<Guid, SegmentRun>();
        foreach (var id in ids)
        {
            var run = await db.Set<SegmentRun>().AsNoTracking().Where(r => r.SegmentId == id).OrderByDescending(r => r.StartedAt).FirstOrDefaultAsync(cancellationToken);
            if (run is not null)
            {
                runs[id] = run;
            }
        }

        return runs;
    }

    public static async Task<SegmentResponse> ResponseAsync(AidaDb db, Segment segment, CancellationToken cancellationToken)
    {
        var counts = await CountsAsync(db, [segment], cancellationToken);
        var runs = await LastRunsAsync(db, [segment.Id], cancellationToken);
        return segment.ToResponse(counts[segment.Id], db.ReachesAllCustomers, runs.GetValueOrDefault(segment.Id));
    }

    /// <summary>Counting a candidate's rows stops here: a condition matching this many is not the one to start from.</summary>
    private const int EstimateCap = 200_000;

    /// <summary>
    /// How to find the customers matching <paramref name="criteria"/> now, in the viewer's reach (the query filter
    /// composes over the SQL). With several conditions on rows that hang off the customer, their matching rows are
    /// counted first (a capped count per condition, each capped at the smallest so far, from an index where there
    /// is one), and the most selective becomes the list the database starts from.
    /// </summary>
    public static async Task<SegmentMatch> MatchAsync(AidaDb db, CriteriaNode criteria, CancellationToken cancellationToken)
    {
        var now = db.Clock.UtcNow();
        CriteriaNode.Condition? driving = null;
        var cap = EstimateCap;
        // Likely the most selective first (one value before many), so the later counts stop early.
        foreach (var candidate in CriteriaSql.DrivingCandidates(criteria).OrderBy(c => c.Operator == SegmentOperator.Eq ? 0 : c.Values.Count))
        {
            var estimate = new CriteriaSql(db.Dialect, now);
            var sql = estimate.Estimate(candidate, cap);
            var rows = await db.Database.SqlQueryRaw<int>(sql, estimate.Arguments.ToArray()).SingleAsync(cancellationToken);
            if (driving is null || rows < cap)
            {
                (driving, cap) = (candidate, Math.Max(rows, 1));
            }
        }

        return new SegmentMatch(db, criteria, driving, driving is null ? null : cap, now);
    }
}

/// <summary>The plan <see cref="SegmentReach.MatchAsync"/> chose: the condition to start from and how many rows it has.</summary>
public sealed class SegmentMatch(AidaDb db, CriteriaNode criteria, CriteriaNode.Condition? driving, int? startRows, DateTime now)
{
    /// <summary>Rows of the starting condition (capped), or null when the database picks its own start.</summary>
    public int? StartRows => startRows;

    /// <summary>Every matching customer; with <paramref name="startLimit"/>, those among the first rows of the starting list only.</summary>
    public IQueryable<Customer> Customers(int? startLimit = null)
    {
        var compiled = new CriteriaSql(db.Dialect, now);
        var where = driving is null ? compiled.Compile(criteria) : compiled.Compile(criteria, driving, startLimit);
        // Every value in the compiled condition is a parameter (CriteriaSql); only the registry's column names are SQL text.
#pragma warning disable EF1003
        return db.Set<Customer>().FromSqlRaw("SELECT * FROM customers c WHERE c.deleted_at IS NULL AND " + where, compiled.Arguments.ToArray());
#pragma warning restore EF1003
    }
}
