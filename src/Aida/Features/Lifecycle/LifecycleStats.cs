using Aida.Features.Customers;

namespace Aida.Features.Lifecycle;

/// <summary>
/// <c>GET /api/v1/customers/lifecycle/stats</c> (spec 004): how many customers in the caller's reach are in
/// each stage and each AIDA phase — the numbers of the AIDA board.
/// </summary>
public static class LifecycleStats
{
    public sealed record StageCount(StageSummary Stage, int DisplayOrder, bool IsActive, int Customers);

    public sealed record PhaseCount(AidaPhase Phase, int Customers, IReadOnlyList<StageCount> Stages);

    public sealed record Response(int Total, IReadOnlyList<PhaseCount> Phases);

    public static async Task<Ok<Response>> Handle(AidaDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await RunAsync(db, cancellationToken));

    public static async Task<Response> RunAsync(AidaDb db, CancellationToken cancellationToken)
    {
        // Kept as customers move (StageCounts), so the board reads a few rows per owner and stage, not every customer.
        var counts = await StageCounts.InReachAsync(db, await CustomerAccess.OwnersInReachAsync(db, cancellationToken), cancellationToken);
        var stages = await db.Set<LifecycleStage>().AsNoTracking().OrderBy(s => s.DisplayOrder).ThenBy(s => s.Name).ToListAsync(cancellationToken);
        var phases = Enum.GetValues<AidaPhase>()
            .Select(phase =>
            {
                var inPhase = stages.Where(s => s.Phase == phase)
                    .Select(s => new StageCount(s.ToSummary(), s.DisplayOrder, s.IsActive, counts.GetValueOrDefault(s.Id)))
                    .ToList();
                return new PhaseCount(phase, inPhase.Sum(s => s.Customers), inPhase);
            })
            .ToList();
        return new Response(phases.Sum(p => p.Customers), phases);
    }
}
