namespace Aida.Features.Lifecycle;

/// <summary><c>GET /api/v1/lifecycle/transitions</c>: the allowed moves between stages, in stage order.</summary>
public static class ListTransitions
{
    public static async Task<Ok<IReadOnlyList<TransitionResponse>>> Handle(AidaDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await RunAsync(db, cancellationToken));

    // The catalog has read the rules already; reading them again would be a second query for the same rows.
    public static async Task<IReadOnlyList<TransitionResponse>> RunAsync(AidaDb db, CancellationToken cancellationToken) =>
        (await StageCatalog.LoadAsync(db, cancellationToken)).Transitions();
}
