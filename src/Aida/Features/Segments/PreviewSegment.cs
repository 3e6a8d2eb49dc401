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

        var matching = (await SegmentReach.MatchingAsync(db, parsed, cancellationToken)).AsNoTracking();
        var count = await matching.CountAsync(cancellationToken);
        var sample = await matching.Take(SampleSize).Select(c => new SegmentSampleCustomer(c.Id, c.DisplayName)).ToListAsync(cancellationToken);
        return Result.Ok(new SegmentPreviewResponse(count, sample));
    }
}
