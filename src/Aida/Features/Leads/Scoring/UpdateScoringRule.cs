namespace Aida.Features.Leads.Scoring;

/// <summary>PATCH a scoring rule (If-Match): fields given replace the stored ones; a condition is replaced whole. The open leads are rescored in the same request.</summary>
public static class UpdateScoringRule
{
    public static async Task<Results<Ok<ScoringRuleChanged>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id,
        [FromBody] ScoringRuleRequest request,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        AidaDb db,
        HttpResponse response,
        CancellationToken cancellationToken) =>
        (await RunAsync(id, request, ifMatch, db, cancellationToken)).ToOk(response);

    public static async Task<Result<ScoringRuleChanged>> RunAsync(Guid id, ScoringRuleRequest request, string? ifMatch, AidaDb db, CancellationToken cancellationToken)
    {
        var saved = await db.ChangeAsync(db.Set<LeadScoringRule>().Where(r => r.Id == id), ifMatch, "scoring rule", rule =>
        {
            var errors = new ValidationErrors();
            request.ApplyTo(rule, errors, creating: false);
            if (errors.Any)
            {
                return Task.FromResult<Failure?>(errors.ToFailure());
            }

            rule.Position = request.Position ?? rule.Position;
            return Task.FromResult<Failure?>(null);
        }, rule => rule.ToResponse(), cancellationToken);
        if (!saved.Succeeded)
        {
            return saved.Failure;
        }

        // After the rule's transaction: the rescore runs its own short ones, batch by batch.
        db.ChangeTracker.Clear();
        var rescore = await LeadScoring.RescoreAsync(db, cancellationToken);
        return Result.Ok(new ScoringRuleChanged(saved.Value, rescore), saved.Version);
    }
}
