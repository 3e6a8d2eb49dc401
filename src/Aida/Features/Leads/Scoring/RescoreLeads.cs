namespace Aida.Features.Leads.Scoring;

/// <summary>
/// <c>POST /api/v1/lead-scoring-rules/rescore</c>: recalculates every lead not yet converted. Rule changes
/// rescore by themselves; this is for after a restore or a bulk import.
/// </summary>
public static class RescoreLeads
{
    public static async Task<Ok<LeadScoring.RescoreResult>> Handle(AidaDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await LeadScoring.RescoreAsync(db, cancellationToken));
}
