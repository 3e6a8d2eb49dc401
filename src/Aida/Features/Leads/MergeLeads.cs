using System.Text.Json;
using Aida.Features.Customers.Duplicates;
using Aida.Features.Leads.Scoring;

namespace Aida.Features.Leads;

/// <summary>
/// <c>POST /api/v1/leads/merge</c>: folds duplicate leads into one (issue 17, duplicate review of leads), the way a
/// repeat capture joins an open lead: the survivor keeps every value it has and takes only what it lacks from the
/// others, in the order given (first-touch attribution stays the survivor's); their touches move to it; their
/// captures count on it; it is scored again. The others are soft-deleted naming the survivor, so their ids answer
/// with a redirect to it (308). Their pairs in the review queue are marked merged. One <c>lead.merged</c> event. The
/// merge is recorded (<see cref="LeadMerge"/>) and can be undone within 30 days (<see cref="UndoLeadMerge"/>).
/// <para>
/// Every lead must be in the actor's reach (404 otherwise) and not converted (409: a converted lead is its customer's
/// history; merge the customers). The leads' rows are held in id order for the transaction, so two merges of one lead
/// (or a merge and a touch or state change) run one after the other, and a second merge finds it merged (409); a
/// conversion at the same moment fails its version check instead.
/// </para>
/// </summary>
public static class MergeLeads
{
    /// <summary>At most this many leads in one merge, as for customers.</summary>
    public const int MaxLeads = 10;

    /// <param name="SurvivorId">The lead that stays.</param>
    /// <param name="MergedIds">The leads folded into it (1 to 9).</param>
    public sealed record Request(Guid? SurvivorId, IReadOnlyList<Guid>? MergedIds);

    public sealed record Response(LeadResponse Survivor, LeadMergeResponse Merge);

    public static async Task<Results<Ok<Response>, ValidationProblem, ProblemHttpResult>> Handle(
        [FromBody] Request? request, AidaDb db, CancellationToken cancellationToken) =>
        (await RunAsync(request, db, cancellationToken)).ToOk();

    public static async Task<Result<Response>> RunAsync(Request? request, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request?.SurvivorId is not { } survivorId)
        {
            errors.Add("survivorId", "Is required: the lead that stays.");
            survivorId = Guid.Empty;
        }

        var mergedIds = request?.MergedIds?.Distinct().ToList() ?? [];
        if (mergedIds.Count == 0)
        {
            errors.Add("mergedIds", "Name at least one lead to merge into the survivor.");
        }
        else if (mergedIds.Count > MaxLeads - 1)
        {
            errors.Add("mergedIds", $"At most {MaxLeads - 1} leads can be merged into one at a time.");
        }
        else if (mergedIds.Contains(survivorId))
        {
            errors.Add("mergedIds", "Must not contain the survivor.");
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var all = mergedIds.Prepend(survivorId).ToList();
        foreach (var id in all.Order())
        {
            await LeadStates.LockAsync(db, id, cancellationToken);
        }

        var leads = await db.Set<Lead>().Where(l => all.Contains(l.Id)).ToDictionaryAsync(l => l.Id, cancellationToken);
        foreach (var id in all)
        {
            if (leads.ContainsKey(id))
            {
                continue;
            }

            // Merged a moment ago by someone else, or simply not there (or out of reach).
            var mergedInto = await db.Set<Lead>().IgnoreQueryFilters().Where(l => l.Id == id && l.MergedIntoId != null)
                .Select(l => l.MergedIntoId).FirstOrDefaultAsync(cancellationToken);
            return mergedInto is null
                ? new Failure.NotFound("lead")
                : new Failure.Conflict(id == survivorId ? "survivorId" : "mergedIds", $"Lead {id} was already merged into lead {mergedInto}.");
        }

        var converted = all.FirstOrDefault(id => leads[id].Status == LeadStatus.Converted);
        if (converted != Guid.Empty)
        {
            return new Failure.Conflict(converted == survivorId ? "survivorId" : "mergedIds",
                $"Lead {converted} is converted: it is its customer's history now. Merge the customers instead.");
        }

        var now = db.Clock.UtcNow();
        var survivor = leads[survivorId];
        var before = LeadMergeFields.Snapshot(survivor);
        foreach (var merged in mergedIds.Select(id => leads[id]))
        {
            LeadCapture.FillBlanks(survivor, merged);
            survivor.CaptureCount += merged.CaptureCount;
            survivor.LastCapturedAt = Max(survivor.LastCapturedAt, merged.LastCapturedAt);
            survivor.LastContactAt = Max(survivor.LastContactAt, merged.LastContactAt);
            survivor.ConnectedAt = Min(survivor.ConnectedAt, merged.ConnectedAt);
            survivor.NextFollowUpAt = Min(survivor.NextFollowUpAt, merged.NextFollowUpAt);
            merged.MergedIntoId = survivorId;
            merged.DeletedAt = now;
        }

        var moved = await db.Set<LeadInteraction>().IgnoreQueryFilters().Where(i => mergedIds.Contains(i.LeadId))
            .Select(i => new { i.Id, i.LeadId }).ToDictionaryAsync(i => i.Id, i => i.LeadId, cancellationToken);
        await db.Set<LeadInteraction>().IgnoreQueryFilters().Where(i => mergedIds.Contains(i.LeadId))
            .ExecuteUpdateAsync(update => update.SetProperty(i => i.LeadId, survivorId), cancellationToken);
        await db.Set<DuplicatePair>()
            .Where(p => p.RecordType == DuplicateRecordType.Lead && all.Contains(p.FirstId) && all.Contains(p.SecondId) && p.Status != DuplicatePairStatus.Merged)
            .ExecuteUpdateAsync(update => update.SetProperty(p => p.Status, DuplicatePairStatus.Merged).SetProperty(p => p.DeferredUntil, (DateTime?)null)
                .SetProperty(p => p.DecidedBy, db.ActorId).SetProperty(p => p.DecidedAt, now).SetProperty(p => p.UpdatedAt, now), cancellationToken);

        // The moved touches are the survivor's inputs now (inbound answers, follow-ups).
        await LeadScoring.ApplyAsync(db, survivor, cancellationToken);
        var merge = new LeadMerge
        {
            SurvivorId = survivorId,
            PerformedBy = db.ActorId,
            MergedIds = JsonSerializer.Serialize(mergedIds),
            SurvivorBefore = LeadMergeFields.ToJson(before),
            SurvivorAfter = LeadMergeFields.ToJson(LeadMergeFields.Snapshot(survivor)),
            MovedTouches = JsonSerializer.Serialize(moved),
            UndoableUntil = now + LeadMerge.UndoWindow,
        };
        db.Add(merge);
        db.Publish("lead.merged", LeadMapping.Subject(survivor), () => new { lead = survivor.ToResponse(), mergeId = merge.Id, mergedIds });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Result.Ok(new Response(survivor.ToResponse(), merge.ToResponse()));
    }

    public static LeadMergeResponse ToResponse(this LeadMerge merge) => new(
        merge.Id, merge.SurvivorId, merge.Merged, merge.PerformedBy, merge.CreatedAt, merge.UndoableUntil, merge.UndoneAt, merge.UndoneBy, merge.Touches.Count);

    /// <summary>The lead a merged-away lead lives on in, if the actor can see it (merges of merges followed).</summary>
    public static async Task<Guid?> SurvivorAsync(AidaDb db, Guid leadId, CancellationToken cancellationToken)
    {
        var current = leadId;
        for (var hop = 0; hop < MaxLeads * 2; hop++)
        {
            var next = await db.Set<Lead>().IgnoreQueryFilters().Where(l => l.Id == current).Select(l => l.MergedIntoId).FirstOrDefaultAsync(cancellationToken);
            if (next is not { } survivor)
            {
                return null;
            }

            if (await db.Set<Lead>().AnyAsync(l => l.Id == survivor, cancellationToken))
            {
                return survivor;
            }

            current = survivor;
        }

        return null;
    }

    private static DateTime? Max(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private static DateTime? Min(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : a < b ? a : b;
}
