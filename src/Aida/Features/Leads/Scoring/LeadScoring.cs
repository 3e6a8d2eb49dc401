using Aida.Platform.Data;

namespace Aida.Features.Leads.Scoring;

/// <summary>Scores a lead from the configured rules. (Issue 7 slice "scoring" replaces this first version, which has no rules yet.)</summary>
public static class LeadScoring
{
    public static Task ApplyAsync(AidaDb db, Lead lead, CancellationToken cancellationToken)
    {
        lead.Score = 0;
        lead.ScoreFactors = "[]";
        lead.ScoredAt = Platform.Time.UtcNow(db.Clock);
        return Task.CompletedTask;
    }
}
