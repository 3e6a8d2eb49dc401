namespace Aida.Features.Leads.Scoring;

/// <summary>
/// Scores a lead from the active rules: the sum of the points of every matching rule, held to 0–100,
/// with the matching rules kept as the lead's factors ("why is this lead 72?"). Runs whenever an input
/// changes: capture, edit, a deduplicated repeat capture, a logged touch, and a rule change (rescore).
/// Crossing the qualification threshold, either way, emits <c>lead.score_changed</c>.
/// </summary>
public static class LeadScoring
{
    public static async Task ApplyAsync(AidaDb db, Lead lead, CancellationToken cancellationToken)
    {
        var rules = await ActiveRulesAsync(db, cancellationToken);
        var settings = await LeadSettings.GetAsync(db, cancellationToken);
        var inbound = ScoringConditions.NeedsTouches(rules) ? await InboundTouchesAsync(db, lead, cancellationToken) : 0;
        Apply(db, lead, rules, settings.QualificationThreshold, inbound);
        lead.ScoredAt = db.Clock.UtcNow();
    }

    public static Task<List<LeadScoringRule>> ActiveRulesAsync(AidaDb db, CancellationToken cancellationToken) =>
        db.Set<LeadScoringRule>().AsNoTracking().Where(r => r.IsActive).OrderBy(r => r.Position).ThenBy(r => r.Id).ToListAsync(cancellationToken);

    /// <summary>Sets the score and factors from <paramref name="rules"/>; true when either changed.</summary>
    public static bool Apply(AidaDb db, Lead lead, IReadOnlyList<LeadScoringRule> rules, int threshold, int inboundTouches)
    {
        var facts = new ScoringConditions.LeadFacts(lead, inboundTouches);
        var factors = rules.Where(r => ScoringConditions.Matches(r, facts))
            .Select(r => new ScoreFactor(r.Id, r.Name, EnumText<ScoringCategory>.ToText(r.Category), r.Points))
            .ToList();
        var score = Math.Clamp(factors.Sum(f => f.Points), 0, 100);
        var serialized = LeadMapping.SerializeFactors(factors);
        var oldScore = lead.Score;
        if (score == oldScore && serialized == lead.ScoreFactors)
        {
            return false;
        }

        lead.Score = score;
        lead.ScoreFactors = serialized;
        var direction = oldScore < threshold && threshold <= score ? "up"
            : score < threshold && threshold <= oldScore ? "down"
            : null;
        if (direction is not null)
        {
            db.Publish("lead.score_changed", LeadMapping.Subject(lead), () => new
            {
                leadId = lead.Id,
                oldScore,
                newScore = score,
                threshold,
                direction,
                factors,
            });
        }

        return true;
    }

    /// <summary>Inbound touches stored for the lead plus those added in this unit of work and not yet saved (a lead not yet stored has none stored).</summary>
    private static async Task<int> InboundTouchesAsync(AidaDb db, Lead lead, CancellationToken cancellationToken)
    {
        var pending = db.ChangeTracker.Entries<LeadInteraction>()
            .Count(e => e.State == EntityState.Added && e.Entity.LeadId == lead.Id && e.Entity.Direction == Interactions.Direction.Inbound);
        var stored = db.Entry(lead).State is EntityState.Added or EntityState.Detached
            ? 0
            : await db.Set<LeadInteraction>().IgnoreQueryFilters()
                .CountAsync(i => i.LeadId == lead.Id && i.Direction == Interactions.Direction.Inbound, cancellationToken);
        return stored + pending;
    }

    public sealed record RescoreResult(int Rescored, int Changed);

    /// <summary>
    /// Recalculates every lead not yet converted (lost and unresponsive ones too, so a reopened lead has a
    /// current score) in batches, each its own short transaction, so a large table never holds one long
    /// write. A lead edited while its batch ran makes the batch retry from fresh rows.
    /// </summary>
    public static async Task<RescoreResult> RescoreAsync(AidaDb db, CancellationToken cancellationToken)
    {
        const int BatchSize = 200;
        var ids = await LeadAccess.All(db).Where(l => l.Status != LeadStatus.Converted).OrderBy(l => l.Id).Select(l => l.Id).ToListAsync(cancellationToken);
        var changed = 0;
        foreach (var batch in ids.Chunk(BatchSize))
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    changed += await RescoreBatchAsync(db, batch, cancellationToken);
                    break;
                }
                catch (DbUpdateConcurrencyException) when (attempt < 3)
                {
                    db.ChangeTracker.Clear();
                }
                finally
                {
                    db.ChangeTracker.Clear();
                }
            }
        }

        return new RescoreResult(ids.Count, changed);
    }

    private static async Task<int> RescoreBatchAsync(AidaDb db, Guid[] batch, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var rules = await ActiveRulesAsync(db, cancellationToken);
        var settings = await LeadSettings.GetAsync(db, cancellationToken);
        var leads = await LeadAccess.All(db).Where(l => batch.Contains(l.Id) && l.Status != LeadStatus.Converted).ToListAsync(cancellationToken);
        var inbound = ScoringConditions.NeedsTouches(rules)
            ? await db.Set<LeadInteraction>().IgnoreQueryFilters()
                .Where(i => batch.Contains(i.LeadId) && i.Direction == Interactions.Direction.Inbound)
                .GroupBy(i => i.LeadId).Select(g => new { LeadId = g.Key, Count = g.Count() })
                .ToDictionaryAsync(g => g.LeadId, g => g.Count, cancellationToken)
            : [];
        var now = db.Clock.UtcNow();
        var changed = 0;
        foreach (var lead in leads)
        {
            if (Apply(db, lead, rules, settings.QualificationThreshold, inbound.GetValueOrDefault(lead.Id)))
            {
                lead.ScoredAt = now;
                changed++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return changed;
    }
}
