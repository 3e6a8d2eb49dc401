using Aida.Features.Customers;
using Aida.Features.Lifecycle;

namespace Aida.Features.Segments;

/// <summary>
/// <c>GET /api/v1/segments/analytics?days=90</c>: per active segment, its members and their revenue (the sum of
/// members' lifecycle total_revenue) in the viewer's reach, and its size over time. The size history is a count
/// of every customer, so it is shown only to those who reach every customer.
/// </summary>
public static class SegmentAnalytics
{
    public sealed record SegmentSizePoint(DateOnly Day, int MemberCount);

    public sealed record SegmentAnalyticsItem(Guid SegmentId, string Name, SegmentType Type, int MemberCount, decimal Revenue, IReadOnlyList<SegmentSizePoint>? SizeOverTime);

    public sealed record SegmentAnalyticsResponse(int Days, IReadOnlyList<SegmentAnalyticsItem> Segments);

    public static async Task<Results<Ok<SegmentAnalyticsResponse>, ValidationProblem>> Handle(int? days, AidaDb db, CancellationToken cancellationToken) =>
        (await RunAsync(days, db, cancellationToken)).ToOkOrInvalid();

    public static async Task<Result<SegmentAnalyticsResponse>> RunAsync(int? days, AidaDb db, CancellationToken cancellationToken)
    {
        var span = days ?? 90;
        if (span is < 1 or > 730)
        {
            return new Failure.Invalid("days", "Must be between 1 and 730.");
        }

        var segments = await db.Set<Segment>().AsNoTracking().Where(s => s.IsActive).ToListAsync(cancellationToken);
        var ids = segments.Select(s => s.Id).ToList();
        var counts = await SegmentReach.CountsAsync(db, segments, cancellationToken);
        // Summed as double precision (SQLite keeps decimals as text and EF's decimal SUM is not available on
        // Aida's connections), then rounded to cents: exact for totals under about 10^13.
        var revenue = await (from m in db.Set<SegmentMember>()
                             where ids.Contains(m.SegmentId)
                             join c in db.Set<Customer>() on m.CustomerId equals c.Id
                             join l in db.Set<CustomerLifecycle>() on c.Id equals l.Id
                             group l by m.SegmentId into g
                             select new { g.Key, Revenue = g.Sum(l => (double)l.TotalRevenue) })
            .ToListAsync(cancellationToken);
        var from = DateOnly.FromDateTime(db.Clock.UtcNow()).AddDays(-span);
        var sizes = db.ReachesAllCustomers
            ? (await db.Set<SegmentSize>().AsNoTracking().Where(s => ids.Contains(s.SegmentId) && s.Day >= from).ToListAsync(cancellationToken))
                .GroupBy(s => s.SegmentId).ToDictionary(g => g.Key, g => g.OrderBy(s => s.Day).Select(s => new SegmentSizePoint(s.Day, s.MemberCount)).ToList())
            : null;
        var items = segments.OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase).Select(s => new SegmentAnalyticsItem(
            s.Id, s.Name, s.Type, counts[s.Id],
            Math.Round((decimal)(revenue.FirstOrDefault(r => r.Key == s.Id)?.Revenue ?? 0), 2, MidpointRounding.AwayFromZero),
            sizes is null ? null : sizes.GetValueOrDefault(s.Id) ?? [])).ToList();
        return Result.Ok(new SegmentAnalyticsResponse(span, items));
    }
}
