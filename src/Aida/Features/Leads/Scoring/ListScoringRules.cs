namespace Aida.Features.Leads.Scoring;

/// <summary>The scoring rules in evaluation order. An installation has a handful, so the list is one page.</summary>
public static class ListScoringRules
{
    public static async Task<Ok<Page<ScoringRuleResponse>>> Handle(AidaDb db, CancellationToken cancellationToken)
    {
        var rules = await db.Set<LeadScoringRule>().AsNoTracking().OrderBy(r => r.Position).ThenBy(r => r.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<ScoringRuleResponse>(rules.Select(r => r.ToResponse()).ToList(), null));
    }
}
