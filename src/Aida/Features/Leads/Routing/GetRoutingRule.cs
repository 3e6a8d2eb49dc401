namespace Aida.Features.Leads.Routing;

public static class GetRoutingRule
{
    public static async Task<Results<Ok<RoutingRuleResponse>, ProblemHttpResult>> Handle(Guid id, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(id, db, cancellationToken)).ToOkOrProblem(response);

    public static Task<Result<RoutingRuleResponse>> RunAsync(Guid id, AidaDb db, CancellationToken cancellationToken) =>
        db.Set<LeadRoutingRule>().AsNoTracking().Where(r => r.Id == id).FindAsync("routing rule", r => r.ToResponse(), cancellationToken);
}
