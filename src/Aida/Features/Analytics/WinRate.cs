using Aida.Features.Deals;
using Aida.Platform.Reporting;

namespace Aida.Features.Analytics;

/// <summary>
/// <c>GET /api/v1/analytics/win-rate?from=&amp;to=</c>: of the deals closed in the range (by the day they
/// closed, UTC), won / (won + lost), overall and per owner. Counts only, so currencies do not matter.
/// </summary>
public static class WinRate
{
    public sealed record OwnerRate(Guid? OwnerId, string? OwnerName, int Won, int Lost, decimal? WinRate);

    public sealed record Response(DateOnly? From, DateOnly? To, int Won, int Lost, decimal? WinRate, IReadOnlyList<OwnerRate> Owners);

    public static async Task<Results<Ok<Response>, ValidationProblem>> Handle(string? from, string? to, Guid? pipelineId, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var (since, until) = Reports.Range(errors, from, to);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var closed = db.Set<Opportunity>().AsNoTracking().Where(o => o.Status != DealStatus.Open);
        if (since is { } s)
        {
            closed = closed.Where(o => o.ClosedAt >= s);
        }

        if (until is { } u)
        {
            closed = closed.Where(o => o.ClosedAt < u);
        }

        if (pipelineId is { } pipeline)
        {
            closed = closed.Where(o => o.PipelineId == pipeline);
        }

        var counts = await closed.GroupBy(o => new { o.OwnerId, o.Status }).Select(g => new { g.Key.OwnerId, g.Key.Status, Count = g.Count() }).ToListAsync(cancellationToken);
        var names = await Reports.UserNamesAsync(db, counts.Select(c => c.OwnerId), cancellationToken);
        var owners = counts.GroupBy(c => c.OwnerId).Select(g =>
        {
            var won = g.Where(c => c.Status == DealStatus.Won).Sum(c => c.Count);
            var lost = g.Where(c => c.Status == DealStatus.Lost).Sum(c => c.Count);
            return new OwnerRate(g.Key, g.Key is { } id ? names.GetValueOrDefault(id) : null, won, lost, Reports.Rate(won, won + lost));
        }).OrderByDescending(o => o.Won + o.Lost).ThenBy(o => o.OwnerName, StringComparer.Ordinal).ToList();
        var allWon = owners.Sum(o => o.Won);
        var allLost = owners.Sum(o => o.Lost);
        return TypedResults.Ok(new Response(
            since is null ? null : DateOnly.FromDateTime(since.Value), until is null ? null : DateOnly.FromDateTime(until.Value).AddDays(-1),
            allWon, allLost, Reports.Rate(allWon, allWon + allLost), owners));
    }
}
