namespace Aida.Features.Leads.Scoring;

public static class GetScoringRule
{
    public static async Task<Results<Ok<ScoringRuleResponse>, ProblemHttpResult>> Handle(Guid id, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(id, db, cancellationToken)).ToOkOrProblem(response);

    public static Task<Result<ScoringRuleResponse>> RunAsync(Guid id, AidaDb db, CancellationToken cancellationToken) =>
        db.Set<LeadScoringRule>().AsNoTracking().Where(r => r.Id == id).FindAsync("scoring rule", r => r.ToResponse(), cancellationToken);
}
