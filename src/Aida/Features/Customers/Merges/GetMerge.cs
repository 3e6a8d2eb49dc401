namespace Aida.Features.Customers.Merges;

/// <summary>A merge as recorded: who, when, the survivor's fields before and after, what moved, whether it was undone.</summary>
public static class GetMerge
{
    public static async Task<Results<Ok<CustomerMergeResponse>, ProblemHttpResult>> Handle(
        Guid id, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(id, db, cancellationToken)).ToOkOrProblem(response);

    public static async Task<Result<CustomerMergeResponse>> RunAsync(Guid id, AidaDb db, CancellationToken cancellationToken)
    {
        var merge = await VisibleAsync(db, id, cancellationToken);
        return merge is null
            ? new Failure.NotFound("merge")
            : Result.Ok(await ResponseAsync(db, merge, cancellationToken), merge.Version);
    }

    /// <summary>The merge, when the actor can see its survivor (the merged-away customers are deleted, so the survivor decides).</summary>
    public static async Task<CustomerMerge?> VisibleAsync(AidaDb db, Guid id, CancellationToken cancellationToken) =>
        await (from m in db.Set<CustomerMerge>().AsNoTracking()
               where m.Id == id && db.Set<Customer>().Any(c => c.Id == m.SurvivorId)
               select m).FirstOrDefaultAsync(cancellationToken);

    /// <summary>The latest merge into <paramref name="survivorId"/> that can still be undone (the customer page offers it).</summary>
    public static async Task<CustomerMerge?> UndoableIntoAsync(AidaDb db, Guid survivorId, CancellationToken cancellationToken)
    {
        var now = db.Clock.UtcNow();
        return await db.Set<CustomerMerge>().AsNoTracking()
            .Where(m => m.SurvivorId == survivorId && m.UndoneAt == null && m.UndoableUntil > now)
            .OrderByDescending(m => m.CreatedAt).FirstOrDefaultAsync(cancellationToken);
    }

    public static async Task<CustomerMergeResponse> ResponseAsync(AidaDb db, CustomerMerge merge, CancellationToken cancellationToken)
    {
        var mergedIds = await db.Set<CustomerMergeSource>().AsNoTracking().Where(s => s.MergeId == merge.Id)
            .Select(s => s.CustomerId).OrderBy(s => s).ToListAsync(cancellationToken);
        return new CustomerMergeResponse(
            merge.Id, merge.SurvivorId, mergedIds, merge.PerformedBy, merge.CreatedAt, merge.UndoableUntil, merge.UndoneAt,
            MergeFields.FromJson(merge.SurvivorBefore), MergeFields.FromJson(merge.SurvivorAfter),
            await MergeChildren.CountMovedAsync(db, merge.Id, cancellationToken));
    }
}
