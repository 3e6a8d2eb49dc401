namespace Aida.Features.Leads.Routing;

/// <summary>The routing rules in evaluation order. An installation has a handful, so the list is one page.</summary>
public static class ListRoutingRules
{
    public static async Task<Ok<Page<RoutingRuleResponse>>> Handle(AidaDb db, CancellationToken cancellationToken)
    {
        var rules = await db.Set<LeadRoutingRule>().AsNoTracking().OrderBy(r => r.Position).ThenBy(r => r.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<RoutingRuleResponse>(rules.Select(r => r.ToResponse()).ToList(), null));
    }
}
