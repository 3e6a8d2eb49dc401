namespace Aida.Features.Lifecycle;

/// <summary><c>GET /api/v1/lifecycle/transitions</c>: the allowed moves between stages, in stage order.</summary>
public static class ListTransitions
{
    public static async Task<Ok<IReadOnlyList<TransitionResponse>>> Handle(AidaDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await RunAsync(db, cancellationToken));

    public static async Task<IReadOnlyList<TransitionResponse>> RunAsync(AidaDb db, CancellationToken cancellationToken)
    {
        var stages = await StageCatalog.LoadAsync(db, cancellationToken);
        var rules = await db.Set<StageTransitionRule>().AsNoTracking().ToListAsync(cancellationToken);
        return rules
            .OrderBy(r => stages[r.FromStageId].DisplayOrder).ThenBy(r => stages[r.ToStageId].DisplayOrder)
            .Select(r => new TransitionResponse(r.Id, stages.Summary(r.FromStageId), stages.Summary(r.ToStageId), r.RequiresApproval))
            .ToList();
    }
}
