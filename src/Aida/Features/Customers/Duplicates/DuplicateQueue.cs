namespace Aida.Features.Customers.Duplicates;

/// <summary>One record of a cluster, as the queue names it.</summary>
public sealed record DuplicateMemberResponse(Guid Id, string DisplayName, string? Kind, string? Status, string? Detail, string Url);

public sealed record DuplicatePairResponse(
    Guid Id, DuplicateRecordType RecordType, Guid FirstId, Guid SecondId, double Score, IReadOnlyList<string> Reasons, IReadOnlyList<string> ReasonText,
    DuplicatePairStatus Status, DuplicatePairSource Source, DateTime? DeferredUntil, Guid? DecidedBy, DateTime? DecidedAt, DateTime CreatedAt);

/// <summary>Records linked by likely-duplicate pairs (a connected component), the best score first.</summary>
public sealed record DuplicateClusterResponse(
    DuplicateRecordType RecordType, double Score, IReadOnlyList<DuplicateMemberResponse> Members, IReadOnlyList<DuplicatePairResponse> Pairs);

/// <summary>
/// <c>GET /api/v1/duplicates</c>: the review queue as clusters — the connected components of the pairs in the
/// chosen status whose two records the actor can both see — best score first, cursor-paged.
/// <para>
/// Clusters are computed when listing, not stored: every decision (dismiss, defer, merge), every deletion and
/// the actor's reach change them (a manager's clusters are cut where a record is out of reach), so a stored
/// clustering would be stale or per-user. Computing them is a union-find over the visible pairs' ids, which
/// are a few dozen bytes each: a queue of 100,000 pairs is read and grouped in well under a second.
/// </para>
/// </summary>
public static class ListDuplicates
{
    private const string Sort = "clusters";

    public static async Task<Results<Ok<Page<DuplicateClusterResponse>>, ValidationProblem>> Handle(
        string? type, string? status, string? cursor, int? limit, AidaDb db, IEnumerable<IDuplicateRecords> records, CancellationToken cancellationToken)
    {
        var result = await RunAsync(type, status, cursor, limit, db, records, cancellationToken);
        return result.Succeeded ? TypedResults.Ok(result.Value) : ((Failure.Invalid)result.Failure).ToValidationProblem();
    }

    public static async Task<Result<Page<DuplicateClusterResponse>>> RunAsync(
        string? type, string? status, string? cursor, int? limit, AidaDb db, IEnumerable<IDuplicateRecords> records, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var recordType = QueryValues.Enum<DuplicateRecordType>(type, "type", errors) ?? DuplicateRecordType.Customer;
        var wanted = QueryValues.Enum<DuplicatePairStatus>(status, "status", errors) ?? DuplicatePairStatus.Open;
        var take = Paging.Limit(limit, errors);
        var after = DecodeCursor(cursor, errors);
        var source = records.FirstOrDefault(r => r.Type == recordType);
        if (source is null && !errors.Has("type"))
        {
            errors.Add("type", $"Duplicate review does not cover {EnumText<DuplicateRecordType>.ToText(recordType)} records.");
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        var now = db.Clock.UtcNow();
        var pairs = await VisiblePairs(db, source!).Where(InStatus(wanted, now)).AsNoTracking().ToListAsync(cancellationToken);
        var clusters = Cluster(pairs)
            .Select(c => (Pairs: c, Score: c.Max(p => p.Score), Anchor: c.Min(p => p.FirstId)))
            .OrderByDescending(c => c.Score).ThenBy(c => c.Anchor)
            .Where(c => after is not { } a || c.Score < a.Score || (c.Score == a.Score && c.Anchor.CompareTo(a.Anchor) > 0))
            .Take(take + 1).ToList();
        var page = clusters.Take(take).ToList();
        var members = await source!.DescribeAsync(db, page.SelectMany(c => c.Pairs).SelectMany(p => new[] { p.FirstId, p.SecondId }).ToHashSet(), cancellationToken);
        var items = page.Select(c => new DuplicateClusterResponse(
            recordType,
            c.Score,
            c.Pairs.SelectMany(p => new[] { p.FirstId, p.SecondId }).Distinct().Where(members.ContainsKey).Select(id => members[id])
                .OrderBy(m => m.Id).ToList(),
            c.Pairs.OrderByDescending(p => p.Score).ThenBy(p => p.Id).Select(p => p.ToResponse()).ToList())).ToList();
        var next = clusters.Count > take
            ? Paging.EncodeCursor(Sort, page[^1].Score.ToString("R", CultureInfo.InvariantCulture), page[^1].Anchor.ToString())
            : null;
        return Result.Ok(new Page<DuplicateClusterResponse>(items, next));
    }

    /// <summary>Pairs of this type whose two records the actor can see (live and within reach).</summary>
    public static IQueryable<DuplicatePair> VisiblePairs(AidaDb db, IDuplicateRecords records)
    {
        var visible = records.Visible(db);
        var type = records.Type;
        return db.Set<DuplicatePair>().Where(p => p.RecordType == type && visible.Contains(p.FirstId) && visible.Contains(p.SecondId));
    }

    /// <summary>Open includes deferrals whose date has passed: they reappear by themselves.</summary>
    public static System.Linq.Expressions.Expression<Func<DuplicatePair, bool>> InStatus(DuplicatePairStatus status, DateTime now) => status switch
    {
        DuplicatePairStatus.Open => p => p.Status == DuplicatePairStatus.Open || (p.Status == DuplicatePairStatus.Deferred && p.DeferredUntil <= now),
        DuplicatePairStatus.Deferred => p => p.Status == DuplicatePairStatus.Deferred && p.DeferredUntil > now,
        _ => p => p.Status == status,
    };

    /// <summary>The connected components of the pairs (union-find over their ids).</summary>
    public static List<List<DuplicatePair>> Cluster(IReadOnlyList<DuplicatePair> pairs)
    {
        var parent = new Dictionary<Guid, Guid>();
        Guid Find(Guid x)
        {
            while (parent.TryGetValue(x, out var p) && p != x)
            {
                parent[x] = parent.TryGetValue(p, out var g) ? g : p;
                x = p;
            }

            return x;
        }

        foreach (var pair in pairs)
        {
            parent.TryAdd(pair.FirstId, pair.FirstId);
            parent.TryAdd(pair.SecondId, pair.SecondId);
            var (a, b) = (Find(pair.FirstId), Find(pair.SecondId));
            if (a != b)
            {
                parent[a.CompareTo(b) < 0 ? b : a] = a.CompareTo(b) < 0 ? a : b;
            }
        }

        return pairs.GroupBy(p => Find(p.FirstId)).Select(g => g.ToList()).ToList();
    }

    private static (double Score, Guid Anchor)? DecodeCursor(string? cursor, ValidationErrors errors)
    {
        var keys = Paging.DecodeCursor(cursor, Sort, 2, errors);
        if (keys is null)
        {
            return null;
        }

        if (double.TryParse(keys[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var score) && Guid.TryParse(keys[1], out var anchor))
        {
            return (score, anchor);
        }

        errors.Add("cursor", "Is not a cursor returned by this list; start again without it.");
        return null;
    }

    public static DuplicatePairResponse ToResponse(this DuplicatePair pair)
    {
        var reasons = DuplicateReasons.Split(pair.Reasons);
        return new DuplicatePairResponse(pair.Id, pair.RecordType, pair.FirstId, pair.SecondId, pair.Score, reasons, reasons.Select(DuplicateReasons.Describe).ToList(),
            pair.Status, pair.Source, pair.DeferredUntil, pair.DecidedBy, pair.DecidedAt, pair.CreatedAt);
    }
}
