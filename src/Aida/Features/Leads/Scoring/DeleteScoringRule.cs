namespace Aida.Features.Leads.Scoring;

/// <summary>Deletes a scoring rule (If-Match, soft delete) and answers the rescore of the open leads that follows in the same request.</summary>
public static class DeleteScoringRule
{
    public static async Task<Results<Ok<LeadScoring.RescoreResult>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, [FromHeader(Name = "If-Match")] string? ifMatch, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(id, ifMatch, db, cancellationToken)).ToOk(response);

    public static async Task<Result<LeadScoring.RescoreResult>> RunAsync(Guid id, string? ifMatch, AidaDb db, CancellationToken cancellationToken)
    {
        var deleted = await db.ChangeAsync(db.Set<LeadScoringRule>().Where(r => r.Id == id), ifMatch, "scoring rule", rule =>
        {
            rule.DeletedAt = db.Clock.UtcNow();
            return Task.FromResult<Failure?>(null);
        }, rule => rule.Id, cancellationToken);
        if (!deleted.Succeeded)
        {
            return deleted.Failure;
        }

        db.ChangeTracker.Clear();
        // The rescore is the answer; a deleted rule has no version to tag it with.
        return Result.Ok(await LeadScoring.RescoreAsync(db, cancellationToken));
    }
}
