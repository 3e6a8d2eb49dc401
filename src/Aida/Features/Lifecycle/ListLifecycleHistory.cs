namespace Aida.Features.Lifecycle;

/// <summary><c>GET /api/v1/customers/{id}/lifecycle/history</c>: every stage change of the customer, newest first.</summary>
public static class ListLifecycleHistory
{
    public static async Task<Results<Ok<IReadOnlyList<HistoryEntryResponse>>, ProblemHttpResult>> Handle(
        Guid id, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(id, db, cancellationToken)).ToOkOrProblem(response);

    public static async Task<Result<IReadOnlyList<HistoryEntryResponse>>> RunAsync(Guid id, AidaDb db, CancellationToken cancellationToken)
    {
        if (!await db.Set<CustomerLifecycle>().AnyAsync(l => l.Id == id, cancellationToken))
        {
            return new Failure.NotFound("customer");
        }

        return Result.Ok(await EntriesAsync(db, await StageCatalog.LoadAsync(db, cancellationToken), id, cancellationToken));
    }

    /// <summary>The entries of a customer known to exist and be in reach, named from <paramref name="stages"/>.</summary>
    public static async Task<IReadOnlyList<HistoryEntryResponse>> EntriesAsync(AidaDb db, StageCatalog stages, Guid id, CancellationToken cancellationToken) =>
        (await db.Set<LifecycleHistory>().AsNoTracking()
            .Where(h => h.CustomerId == id)
            .OrderByDescending(h => h.ChangedAt).ThenByDescending(h => h.Id)
            .ToListAsync(cancellationToken))
        .Select(h => h.ToResponse(stages)).ToList();
}
