namespace Aida.Features.Customers.Merges;

/// <summary>A survivor's field that was changed after the merge: the later value is kept, not the one from before the merge.</summary>
public sealed record KeptChange(string Field, string? BeforeMerge, string? MergedValue, string? Current);

public sealed record UndoMergeResponse(
    CustomerMergeResponse Merge, IReadOnlyList<Guid> RestoredCustomerIds, IReadOnlyList<KeptChange> KeptChanges, int ChildrenMovedAwaySince);

/// <summary>
/// Undoes a merge within 30 days (WF-CM-002): the merged-away customers come back, every child returns to
/// the customer it came from, what the merge soft-deleted or demoted is restored, and every survivor field
/// the merge overwrote gets its old value back — unless the field was changed after the merge, in which
/// case the later value is kept and reported. Children added to the survivor since stay with it.
/// </summary>
public static class UndoMerge
{
    public static async Task<Results<Ok<UndoMergeResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, AidaDb db, CancellationToken cancellationToken) =>
        (await RunAsync(id, db, cancellationToken)).ToOk();

    public static async Task<Result<UndoMergeResponse>> RunAsync(Guid id, AidaDb db, CancellationToken cancellationToken)
    {
        var kept = new List<KeptChange>();
        List<Guid> restored;
        int movedAway;
        CustomerMerge? merge;
        await using (var transaction = await db.BeginWriteAsync(cancellationToken))
        {
            var survivorId = await db.Set<CustomerMerge>().Where(m => m.Id == id).Select(m => (Guid?)m.SurvivorId).FirstOrDefaultAsync(cancellationToken);
            if (survivorId is null)
            {
                return new Failure.NotFound("merge");
            }

            // The same lock a merge takes, so an undo and a merge of the survivor do not interleave.
            await db.Dialect.LockRowAsync<Customer>(db, survivorId.Value, cancellationToken);
            merge = await db.Set<CustomerMerge>().FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
            var survivor = await db.Set<Customer>().FirstOrDefaultAsync(c => c.Id == survivorId, cancellationToken);
            if (merge is null || survivor is null)
            {
                return new Failure.NotFound("merge");
            }

            if (merge.UndoneAt is not null)
            {
                return new Failure.Conflict("id", "This merge has already been undone.");
            }

            var now = db.Clock.UtcNow();
            if (now > merge.UndoableUntil)
            {
                return new Failure.Conflict("id", "A merge can be undone for 30 days only; this one is older.");
            }

            restored = await db.Set<CustomerMergeSource>().Where(s => s.MergeId == id).Select(s => s.CustomerId).ToListAsync(cancellationToken);
            // Merged-away customers are deleted, so the record-level filter would hide them; they are found by
            // the merge's own list, and the actor was allowed to see the survivor that holds them.
            var sources = await db.Set<Customer>().IgnoreQueryFilters().Where(c => restored.Contains(c.Id)).ToListAsync(cancellationToken);

            var before = MergeFields.FromJson(merge.SurvivorBefore);
            var after = MergeFields.FromJson(merge.SurvivorAfter);
            foreach (var field in MergeFields.All)
            {
                var was = before.GetValueOrDefault(field.Name);
                var merged = after.GetValueOrDefault(field.Name);
                var current = field.Read(survivor);
                if (string.Equals(was, merged, StringComparison.Ordinal))
                {
                    continue;
                }

                if (string.Equals(current, merged, StringComparison.Ordinal))
                {
                    field.Write(survivor, was);
                }
                else
                {
                    kept.Add(new KeptChange(field.Name, was, merged, current));
                }
            }

            // The survivor lets go of a merged-away customer's external id before that customer comes back.
            survivor.UpdatedAt = now;
            db.Entry(survivor).Property(c => c.UpdatedAt).IsModified = true;
            await db.SaveChangesAsync(cancellationToken);

            movedAway = await MergeChildren.UndoAsync(db, merge.Id, survivor.Id, now, cancellationToken);
            foreach (var source in sources)
            {
                source.DeletedAt = null;
            }

            merge.UndoneAt = now;
            merge.UndoneBy = db.ActorId;
            db.Publish("customer.merge_undone", CustomerMapping.Subject(survivor.Id), () => new
            {
                mergeId = merge.Id,
                survivorId = survivor.Id,
                restoredIds = restored,
                keptChanges = kept.Select(k => k.Field).ToList(),
            });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return Result.Ok(new UndoMergeResponse(await GetMerge.ResponseAsync(db, merge, cancellationToken), restored, kept, movedAway));
    }
}
