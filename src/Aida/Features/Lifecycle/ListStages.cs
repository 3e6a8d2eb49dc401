namespace Aida.Features.Lifecycle;

/// <summary><c>GET /api/v1/lifecycle/stages</c>: every stage in display order, inactive ones too (they still hold customers).</summary>
public static class ListStages
{
    public static async Task<Ok<IReadOnlyList<LifecycleStageResponse>>> Handle(AidaDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await RunAsync(db, cancellationToken));

    public static async Task<IReadOnlyList<LifecycleStageResponse>> RunAsync(AidaDb db, CancellationToken cancellationToken) =>
        (await db.Set<LifecycleStage>().AsNoTracking().OrderBy(s => s.DisplayOrder).ThenBy(s => s.Name).ToListAsync(cancellationToken))
            .Select(s => s.ToResponse()).ToList();
}
