namespace Aida.Features.Leads.Scoring;

public static class GetScoringRule
{
    public static async Task<Results<Ok<ScoringRuleResponse>, ProblemHttpResult>> Handle(Guid id, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(id, db, cancellationToken)).ToOkOrProblem(response);

    public static async Task<Result<ScoringRuleResponse>> RunAsync(Guid id, AidaDb db, CancellationToken cancellationToken)
    {
        var rule = await db.Set<LeadScoringRule>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        return rule is null ? new Failure.NotFound("scoring rule") : Result.Ok(rule.ToResponse(), rule.Version);
    }
}
