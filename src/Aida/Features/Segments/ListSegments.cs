namespace Aida.Features.Segments;

/// <summary><c>GET /api/v1/segments?q=&amp;type=&amp;limit=&amp;cursor=</c>: segments by name, each with its member count in the viewer's reach.</summary>
public static class ListSegments
{
    private const string Sort = "name";

    public static async Task<Results<Ok<Page<SegmentResponse>>, ValidationProblem>> Handle(
        string? q, string? type, int? limit, string? cursor, AidaDb db, CancellationToken cancellationToken) =>
        (await RunAsync(q, type, limit, cursor, db, cancellationToken)).ToOkOrInvalid();

    public static async Task<Result<Page<SegmentResponse>>> RunAsync(string? q, string? type, int? limit, string? cursor, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var take = Paging.Limit(limit, errors);
        var after = Paging.DecodeCursor(cursor, Sort, 2, errors);
        var search = errors.OptionalText("q", q, Segment.NameMaxLength);
        // Read as text, not bound as the enum: ASP.NET would take any number ("-1") as a SegmentType.
        var wanted = QueryValues.Enum<SegmentType>(type, "type", errors);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        var query = db.Set<Segment>().AsNoTracking();
        if (wanted is not null)
        {
            query = query.Where(s => s.Type == wanted);
        }

        var rows = await query.ToListAsync(cancellationToken);
        if (search is not null)
        {
            rows = rows.Where(s => s.Name.Contains(search, StringComparison.OrdinalIgnoreCase)).ToList();
        }

        // Few segments exist (tens, not millions), so they are sorted here by name as people read it.
        var ordered = rows.OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase).ThenBy(s => s.Id.ToString(), StringComparer.Ordinal).ToList();
        if (after is not null)
        {
            ordered = ordered.SkipWhile(s => string.Compare(s.Name, after[0], StringComparison.OrdinalIgnoreCase) < 0
                || (string.Equals(s.Name, after[0], StringComparison.OrdinalIgnoreCase) && string.CompareOrdinal(s.Id.ToString(), after[1]) <= 0)).ToList();
        }

        var page = ordered.Take(take).ToList();
        var counts = await SegmentReach.CountsAsync(db, page, cancellationToken);
        var runs = await SegmentReach.LastRunsAsync(db, page.Select(s => s.Id).ToList(), cancellationToken);
        var items = page.Select(s => s.ToResponse(counts[s.Id], db.ReachesAllCustomers, runs.GetValueOrDefault(s.Id))).ToList();
        var next = ordered.Count > take ? Paging.EncodeCursor(Sort, page[^1].Name, page[^1].Id.ToString()) : null;
        return Result.Ok(new Page<SegmentResponse>(items, next));
    }
}
