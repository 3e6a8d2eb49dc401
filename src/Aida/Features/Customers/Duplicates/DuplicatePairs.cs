namespace Aida.Features.Customers.Duplicates;

/// <summary>How pairs enter and leave the review queue: from the scan, from a create, and when a merge decides them.</summary>
public static class DuplicatePairs
{
    /// <summary>
    /// Writes what a scan of <paramref name="scanned"/> found: new pairs open; an open pair's score brought up to
    /// date; a pair marked merged that is found again between two live customers (the merge was undone) open
    /// again; dismissed and deferred pairs left as decided. An open pair of a scanned customer that the matcher
    /// no longer scores at the report floor (a contact or address changed) leaves the queue; of a full pass's step,
    /// only those whose records both come after <paramref name="coveredAfter"/> (the step scored no other). Returns how
    /// many were added.
    /// </summary>
    public static async Task<int> SaveScannedAsync(
        AidaDb db, IDuplicateRecords records, List<Guid> scanned, List<(Guid A, Guid B, MatchResult Match)> found, DuplicateOptions options, DateTime now,
        CancellationToken cancellationToken, Guid? coveredAfter = null)
    {
        if (scanned.Count == 0)
        {
            return 0;
        }

        var type = records.Type;
        var existing = new Dictionary<(Guid, Guid), DuplicatePair>();
        for (var i = 0; i < scanned.Count; i += 500)
        {
            var chunk = scanned.GetRange(i, Math.Min(500, scanned.Count - i));
            foreach (var pair in await db.Set<DuplicatePair>()
                         .Where(p => p.RecordType == type && (chunk.Contains(p.FirstId) || chunk.Contains(p.SecondId)))
                         .ToListAsync(cancellationToken))
            {
                existing[(pair.FirstId, pair.SecondId)] = pair;
            }
        }

        var added = 0;
        var current = new HashSet<(Guid, Guid)>();
        foreach (var (a, b, match) in found)
        {
            var key = DuplicatePair.Canonical(a, b);
            current.Add(key);
            if (!existing.TryGetValue(key, out var pair))
            {
                db.Add(DuplicatePair.New(type, a, b, match, DuplicatePairSource.Scan, now));
                existing[key] = null!;
                added++;
                continue;
            }

            if (pair is null)
            {
                continue;
            }

            var reasons = string.Join(',', match.Reasons);
            if (pair.Status == DuplicatePairStatus.Merged)
            {
                pair.Status = DuplicatePairStatus.Open;
                pair.DecidedBy = null;
                pair.DecidedAt = null;
            }
            else if (pair.Status != DuplicatePairStatus.Open || (pair.Score == Math.Round(match.Score, 4) && pair.Reasons == reasons))
            {
                continue;
            }

            pair.Score = Math.Round(match.Score, 4);
            pair.Reasons = reasons;
            pair.UpdatedAt = now;
        }

        // Open pairs of these customers that blocking did not bring back: scored directly, and dropped when no longer alike.
        var unmatched = existing.Where(e => e.Value is { Status: DuplicatePairStatus.Open } && !current.Contains(e.Key)
                && (coveredAfter is not { } start || (e.Key.Item1.CompareTo(start) > 0 && e.Key.Item2.CompareTo(start) > 0)))
            .Select(e => e.Value).ToList();
        if (unmatched.Count > 0)
        {
            var scores = await records.RescoreAsync(db, unmatched.Select(p => (p.FirstId, p.SecondId)).ToList(), cancellationToken);
            foreach (var pair in unmatched)
            {
                if (!scores.TryGetValue((pair.FirstId, pair.SecondId), out var match))
                {
                    continue; // One of them is deleted: the queue does not show it; a restore brings it back.
                }

                if (match.Score < options.ReportFloor)
                {
                    db.Remove(pair);
                }
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return added;
    }

    /// <summary>The customers paired with <paramref name="customerId"/> by open pairs whose two records the actor can see.</summary>
    public static async Task<List<Guid>> OpenPartnersAsync(AidaDb db, Guid customerId, CancellationToken cancellationToken)
    {
        var now = db.Clock.UtcNow();
        return await ListDuplicates.VisiblePairs(db, new CustomerDuplicateRecords())
            .Where(ListDuplicates.InStatus(DuplicatePairStatus.Open, now))
            .Where(p => p.FirstId == customerId || p.SecondId == customerId)
            .OrderByDescending(p => p.Score)
            .Select(p => p.FirstId == customerId ? p.SecondId : p.FirstId)
            .Take(20).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// A customer just created beside likely duplicates the actor can see (the medium tier, or the high one created
    /// anyway with allowDuplicate): each pair joins the queue with source <c>create</c>, in the create's own save.
    /// </summary>
    public static void ProposeOnCreate(AidaDb db, Guid created, IEnumerable<DuplicateCandidate> candidates, DateTime now)
    {
        foreach (var candidate in candidates)
        {
            if (candidate is { Visible: true, Id: { } id, Score: { } score } && id != created)
            {
                db.Add(DuplicatePair.New(DuplicateRecordType.Customer, created, id, new MatchResult(score, candidate.Reasons ?? []), DuplicatePairSource.Create, now));
            }
        }
    }

    /// <summary>
    /// After a merge (inside its transaction): pairs among the merged customers are decided as merged. Pairs of a
    /// merged-away customer with one outside the merge: a dismissal carries over to the survivor (the person said
    /// they differ); open and deferred ones are dropped, as the next incremental scan compares the survivor, which
    /// the merge changed, with everyone again.
    /// </summary>
    public static async Task OnMergedAsync(AidaDb db, Guid survivorId, IReadOnlyList<Guid> mergedIds, DateTime now, CancellationToken cancellationToken)
    {
        var all = mergedIds.Append(survivorId).ToList();
        var actor = db.ActorId;
        await db.Set<DuplicatePair>()
            .Where(p => p.RecordType == DuplicateRecordType.Customer && all.Contains(p.FirstId) && all.Contains(p.SecondId) && p.Status != DuplicatePairStatus.Merged)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Status, DuplicatePairStatus.Merged)
                .SetProperty(p => p.DecidedBy, actor).SetProperty(p => p.DecidedAt, now).SetProperty(p => p.UpdatedAt, now), cancellationToken);

        var outside = await db.Set<DuplicatePair>().AsNoTracking()
            .Where(p => p.RecordType == DuplicateRecordType.Customer
                && ((mergedIds.Contains(p.FirstId) && !all.Contains(p.SecondId)) || (mergedIds.Contains(p.SecondId) && !all.Contains(p.FirstId))))
            .ToListAsync(cancellationToken);
        if (outside.Count == 0)
        {
            return;
        }

        var others = outside.Select(p => all.Contains(p.FirstId) ? p.SecondId : p.FirstId).Distinct().ToList();
        var kept = (await db.Set<DuplicatePair>().AsNoTracking()
                .Where(p => p.RecordType == DuplicateRecordType.Customer
                    && ((p.FirstId == survivorId && others.Contains(p.SecondId)) || (p.SecondId == survivorId && others.Contains(p.FirstId))))
                .Select(p => new { p.FirstId, p.SecondId }).ToListAsync(cancellationToken))
            .Select(p => (p.FirstId, p.SecondId)).ToHashSet();
        foreach (var dismissed in outside.Where(p => p.Status == DuplicatePairStatus.Dismissed))
        {
            var other = all.Contains(dismissed.FirstId) ? dismissed.SecondId : dismissed.FirstId;
            if (kept.Add(DuplicatePair.Canonical(survivorId, other)))
            {
                var carried = DuplicatePair.New(DuplicateRecordType.Customer, survivorId, other,
                    new MatchResult(dismissed.Score, DuplicateReasons.Split(dismissed.Reasons)), dismissed.Source, now);
                carried.Status = DuplicatePairStatus.Dismissed;
                carried.DecidedBy = dismissed.DecidedBy;
                carried.DecidedAt = dismissed.DecidedAt;
                db.Add(carried);
            }
        }

        var dropped = outside.Where(p => p.Status is DuplicatePairStatus.Open or DuplicatePairStatus.Deferred).Select(p => p.Id).ToList();
        await db.Set<DuplicatePair>().Where(p => dropped.Contains(p.Id)).ExecuteDeleteAsync(cancellationToken);
    }
}
