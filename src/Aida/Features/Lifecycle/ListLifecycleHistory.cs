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

        var stages = await StageCatalog.LoadAsync(db, cancellationToken);
        var entries = await db.Set<LifecycleHistory>().AsNoTracking()
            .Where(h => h.CustomerId == id)
            .OrderByDescending(h => h.ChangedAt).ThenByDescending(h => h.Id)
            .ToListAsync(cancellationToken);
        return Result.Ok<IReadOnlyList<HistoryEntryResponse>>(entries.Select(h => h.ToResponse(stages)).ToList());
    }
}
