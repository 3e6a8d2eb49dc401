using Aida.Features.Customers.Duplicates;
using Aida.Features.Leads.Scoring;

namespace Aida.Features.Leads;

/// <summary>A survivor's field changed after the merge: the later value is kept, not the one from before the merge.</summary>
public sealed record KeptLeadChange(string Field, string? BeforeMerge, string? MergedValue, string? Current);

public sealed record UndoLeadMergeResponse(LeadMergeResponse Merge, LeadResponse Survivor, IReadOnlyList<Guid> RestoredLeadIds, int TouchesReturned, IReadOnlyList<KeptLeadChange> KeptChanges);

/// <summary>
/// <c>POST /api/v1/lead-merges/{id}/undo</c>: undoes a lead merge within 30 days. The merged leads come back as they
/// were, each moved touch returns to the lead it came from (a touch logged on the survivor since stays), and every
/// survivor field the merge filled gets its old value back — unless it was changed after the merge, in which case the
/// later value is kept and reported. Their pairs go back to the review queue. One <c>lead.merge_undone</c> event.
/// Refused (409) once undone, after the window, or when the survivor has been converted since (its touches are its
/// customer's interactions now); 404 when the survivor is out of the actor's reach.
/// </summary>
public static class UndoLeadMerge
{
    public static async Task<Results<Ok<UndoLeadMergeResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, AidaDb db, CancellationToken cancellationToken) =>
        (await RunAsync(id, db, cancellationToken)).ToOk();

    public static async Task<Results<Ok<LeadMergeResponse>, ProblemHttpResult>> HandleGet(Guid id, AidaDb db, CancellationToken cancellationToken)
    {
        var merge = await db.Set<LeadMerge>().AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        return merge is not null && await db.Set<Lead>().AnyAsync(l => l.Id == merge.SurvivorId, cancellationToken)
            ? TypedResults.Ok(merge.ToResponse())
            : new Failure.NotFound("lead merge").ToProblem();
    }

    public static async Task<Result<UndoLeadMergeResponse>> RunAsync(Guid id, AidaDb db, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var found = await db.Set<LeadMerge>().AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (found is null)
        {
            return new Failure.NotFound("lead merge");
        }

        var survivorId = found.SurvivorId;
        var mergedIds = found.Merged;
        foreach (var lead in mergedIds.Append(survivorId).Order())
        {
            await LeadStates.LockAsync(db, lead, cancellationToken);
        }

        // Read again now that the leads are held: an undo that ran meanwhile has set UndoneAt.
        var merge = await db.Set<LeadMerge>().FirstAsync(m => m.Id == id, cancellationToken);
        var survivor = await db.Set<Lead>().FirstOrDefaultAsync(l => l.Id == survivorId, cancellationToken);
        if (survivor is null)
        {
            return new Failure.NotFound("lead merge");
        }

        var now = db.Clock.UtcNow();
        if (merge.UndoneAt is not null)
        {
            return new Failure.Conflict("id", "This merge has been undone already.");
        }

        if (merge.UndoableUntil < now)
        {
            return new Failure.Conflict("id", "A merge can be undone for 30 days; this one is older.");
        }

        if (survivor.Status == LeadStatus.Converted)
        {
            return new Failure.Conflict("id", "The lead was converted after the merge: its touches are its customer's interactions now.");
        }

        var merged = await db.Set<Lead>().IgnoreQueryFilters()
            .Where(l => mergedIds.Contains(l.Id) && l.MergedIntoId == survivor.Id && l.DeletedAt != null).ToListAsync(cancellationToken);
        foreach (var lead in merged)
        {
            lead.DeletedAt = null;
            lead.MergedIntoId = null;
        }

        // Touches go back where they came from, unless one has been moved on since (another merge, a conversion).
        var returned = 0;
        foreach (var group in merge.Touches.GroupBy(t => t.Value, t => t.Key))
        {
            var touches = group.ToList();
            returned += await db.Set<LeadInteraction>().IgnoreQueryFilters()
                .Where(i => touches.Contains(i.Id) && i.LeadId == survivor.Id && i.InteractionId == null)
                .ExecuteUpdateAsync(update => update.SetProperty(i => i.LeadId, group.Key), cancellationToken);
        }

        var before = LeadMergeFields.FromJson(merge.SurvivorBefore);
        var after = LeadMergeFields.FromJson(merge.SurvivorAfter);
        var kept = new List<KeptLeadChange>();
        foreach (var field in LeadMergeFields.All)
        {
            var old = before.GetValueOrDefault(field.Name);
            var mergedValue = after.GetValueOrDefault(field.Name);
            if (old == mergedValue)
            {
                continue;
            }

            var current = field.Read(survivor);
            if (field.Name == "captureCount")
            {
                // Captures that joined the survivor since stay counted; the merged leads take theirs back.
                var added = int.Parse(mergedValue!, CultureInfo.InvariantCulture) - int.Parse(old!, CultureInfo.InvariantCulture);
                survivor.CaptureCount = Math.Max(1, survivor.CaptureCount - added);
            }
            else if (current == mergedValue)
            {
                field.Write(survivor, old);
            }
            else if (field.Reported)
            {
                kept.Add(new KeptLeadChange(field.Name, old, mergedValue, current));
            }
        }

        await db.Set<DuplicatePair>()
            .Where(p => p.RecordType == DuplicateRecordType.Lead && p.Status == DuplicatePairStatus.Merged
                && (p.FirstId == survivor.Id || mergedIds.Contains(p.FirstId)) && (p.SecondId == survivor.Id || mergedIds.Contains(p.SecondId)))
            .ExecuteUpdateAsync(update => update.SetProperty(p => p.Status, DuplicatePairStatus.Open).SetProperty(p => p.DecidedBy, (Guid?)null)
                .SetProperty(p => p.DecidedAt, (DateTime?)null).SetProperty(p => p.UpdatedAt, now), cancellationToken);

        foreach (var lead in merged.Prepend(survivor))
        {
            await LeadScoring.ApplyAsync(db, lead, cancellationToken);
        }

        merge.UndoneAt = now;
        merge.UndoneBy = db.ActorId;
        var restored = merged.Select(l => l.Id).ToList();
        db.Publish("lead.merge_undone", LeadMapping.Subject(survivor), () => new { lead = survivor.ToResponse(), mergeId = merge.Id, restoredIds = restored });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Result.Ok(new UndoLeadMergeResponse(merge.ToResponse(), survivor.ToResponse(), restored, returned, kept));
    }
}
