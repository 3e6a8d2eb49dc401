using Aida.Features.Customers;

namespace Aida.Features.Lifecycle;

/// <summary>
/// <c>DELETE /api/v1/lifecycle/stages/{id}</c> (admin.settings): soft-deletes a stage and its transition
/// rules. Refused (409, AC-2) while any customer is in it — whoever can see them — or a move into or out of
/// it waits for approval. History keeps naming it.
/// </summary>
public static class DeleteStage
{
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, [FromHeader(Name = "If-Match")] string? ifMatch, AidaDb db, CancellationToken cancellationToken) =>
        (await RunAsync(id, ifMatch, db, cancellationToken)).ToNoContent();

    public static async Task<Result<LifecycleStage>> RunAsync(Guid id, string? ifMatch, AidaDb db, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        if (await db.Set<LifecycleStage>().AnyAsync(s => s.Id == id, cancellationToken))
        {
            var live = CustomerAccess.All(db);
            var customers = await db.Set<CustomerLifecycle>().IgnoreQueryFilters()
                .CountAsync(l => l.CurrentStageId == id && live.Any(c => c.Id == l.Id), cancellationToken);
            if (customers > 0)
            {
                return new Failure.Conflict("id", $"{customers} customer{(customers == 1 ? " is" : "s are")} in this stage; move them to another stage first, or deactivate it instead.");
            }

            if (await db.Set<StageChangeRequest>().IgnoreQueryFilters()
                    .AnyAsync(r => r.Status == StageChangeRequestStatus.Pending && (r.FromStageId == id || r.ToStageId == id), cancellationToken))
            {
                return new Failure.Conflict("id", "A stage change into or out of this stage waits for approval; decide it first.");
            }
        }

        // Rules into or out of a stage that is gone would allow moves into nothing; they go in the same save.
        db.RemoveRange(await db.Set<StageTransitionRule>().Where(r => r.FromStageId == id || r.ToStageId == id).ToListAsync(cancellationToken));
        var result = await db.SoftDeleteAsync(db.Set<LifecycleStage>().Where(s => s.Id == id), ifMatch, "lifecycle stage",
            "lifecycle_stage.deleted", LifecycleMapping.StageSubject, s => new { stage = s.ToResponse() }, cancellationToken);
        if (result.Succeeded)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return result;
    }
}
