namespace Aida.Features.Leads.Scoring;

/// <summary>
/// Adds a scoring rule (admin.settings), last unless a position is given. The open leads are rescored in
/// the same request (in batches, after the rule is saved), so scores never lag the rules.
/// </summary>
public static class CreateScoringRule
{
    public static async Task<Results<Created<ScoringRuleChanged>, ValidationProblem>> Handle(
        [FromBody] ScoringRuleRequest request, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(request, db, cancellationToken)).ToCreatedOrInvalid(response, changed => $"/api/v1/lead-scoring-rules/{changed.Rule.Id}");

    public static async Task<Result<ScoringRuleChanged>> RunAsync(ScoringRuleRequest request, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var rule = new LeadScoringRule();
        request.ApplyTo(rule, errors, creating: true);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        await using (var transaction = await db.BeginWriteAsync(cancellationToken))
        {
            rule.Position = request.Position ?? (await db.Set<LeadScoringRule>().MaxAsync(r => (int?)r.Position, cancellationToken) ?? 0) + 1;
            db.Add(rule);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        var rescore = await LeadScoring.RescoreAsync(db, cancellationToken);
        return Result.Ok(new ScoringRuleChanged(rule.ToResponse(), rescore), rule.Version);
    }
}
