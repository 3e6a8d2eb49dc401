namespace Aida.Features.Leads.Routing;

public static class GetRoutingRule
{
    public static async Task<Results<Ok<RoutingRuleResponse>, ProblemHttpResult>> Handle(Guid id, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(id, db, cancellationToken)).ToOkOrProblem(response);

    public static async Task<Result<RoutingRuleResponse>> RunAsync(Guid id, AidaDb db, CancellationToken cancellationToken)
    {
        var rule = await db.Set<LeadRoutingRule>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        return rule is null ? new Failure.NotFound("routing rule") : Result.Ok(rule.ToResponse(), rule.Version);
    }
}
