namespace Aida.Features.Segments;

/// <summary>
/// <c>POST /api/v1/segments/preview</c>: how many customers in the viewer's reach the criteria match now, and a
/// few of them (WF-LC-003 step 2). Nothing is saved.
/// </summary>
public static class PreviewSegment
{
    public const int SampleSize = 5;

    public sealed record Request(JsonElement? Criteria);

    public sealed record SegmentPreviewResponse(int Count, IReadOnlyList<SegmentSampleCustomer> Sample);

    public static async Task<Results<Ok<SegmentPreviewResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        [FromBody] Request request, AidaDb db, CancellationToken cancellationToken) =>
        (await RunAsync(request.Criteria, db, cancellationToken)).ToOk();

    public static async Task<Result<SegmentPreviewResponse>> RunAsync(JsonElement? criteria, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (criteria is not { ValueKind: not JsonValueKind.Null } element)
        {
            errors.Add("criteria", "Is required.");
            return errors.ToFailure();
        }

        var parsed = await SegmentRules.CriteriaAsync(db, errors, element, null, cancellationToken);
        if (parsed is null)
        {
            return errors.ToFailure();
        }

        var match = await SegmentReach.MatchAsync(db, parsed, cancellationToken);
        var count = await match.Customers().AsNoTracking().CountAsync(cancellationToken);
        return Result.Ok(new SegmentPreviewResponse(count, count == 0 ? [] : await SampleAsync(match, count, cancellationToken)));
    }

    /// <summary>
    /// A few members. The database builds the list it starts from in full before its first row, so a plain "first
    /// five" costs as much as the count; at the rate the count found members among the list's rows, a few times
    /// the rows that yield five are asked for instead, and only if they fall short is the whole list used.
    /// </summary>
    private static async Task<List<SegmentSampleCustomer>> SampleAsync(SegmentMatch match, int count, CancellationToken cancellationToken)
    {
        if (match.StartRows is { } start && start > SampleSize)
        {
            var rows = (int)Math.Min(start, Math.Ceiling(4.0 * SampleSize * start / count));
            var some = await SampleOf(match.Customers(rows), cancellationToken);
            if (some.Count >= Math.Min(SampleSize, count))
            {
                return some;
            }
        }

        return await SampleOf(match.Customers(), cancellationToken);
    }

    private static Task<List<SegmentSampleCustomer>> SampleOf(IQueryable<Customers.Customer> customers, CancellationToken cancellationToken) =>
        customers.AsNoTracking().Take(SampleSize).Select(c => new SegmentSampleCustomer(c.Id, c.DisplayName)).ToListAsync(cancellationToken);
}
