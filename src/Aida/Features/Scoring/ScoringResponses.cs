namespace Aida.Features.Scoring;

/// <summary>One score of a customer as the API shows it (spec 002 Score, plus stale and insufficient-data flags).</summary>
public sealed record CustomerScoreResponse(
    string ScoreType,
    int ScoreValue,
    string Grade,
    IReadOnlyDictionary<string, CustomerScoreFactor> Factors,
    bool InsufficientData,
    DateTime CalculatedAt,
    DateTime? ValidUntil,
    bool IsStale);

public sealed record CustomerScoresResponse(Guid CustomerId, IReadOnlyList<CustomerScoreResponse> Scores);

public sealed record ScoringThresholdsResponse(int AlertBelow, int EscalateBelow, int UpsellAbove, int AtRiskBelow);

public sealed record ScoreGradeResponse(string Grade, int Min, int Max);

public sealed record ScoringRulesResponse(
    IReadOnlyDictionary<string, Dictionary<string, double>> Weights,
    ScoringThresholdsResponse Thresholds,
    IReadOnlyDictionary<string, string[]> Factors,
    IReadOnlyList<ScoreGradeResponse> Grades,
    DateTime UpdatedAt,
    int Version);

public sealed record ScoringRunResponse(
    Guid Id,
    string Trigger,
    string Status,
    DateTime StartedAt,
    DateTime UpdatedAt,
    DateTime? FinishedAt,
    Guid? StartedBy,
    int Chunks,
    int CustomersScored,
    int Crossings,
    string? Error);

public static class ScoringMapping
{
    public static CustomerScoreResponse ToResponse(this CustomerScore score, DateTime now) => new(
        ScoreFormulas.Name(score.ScoreType),
        score.ScoreValue,
        score.Grade,
        JsonSerializer.Deserialize<Dictionary<string, CustomerScoreFactor>>(score.Factors, ApiJson.Options) ?? [],
        score.InsufficientData,
        score.CalculatedAt,
        score.ValidUntil,
        score.IsStale(now));

    public static ScoringRulesResponse ToResponse(this ScoringRules rules)
    {
        var model = rules.ToModel();
        return new ScoringRulesResponse(
            ScoreFormulas.Types.ToDictionary(ScoreFormulas.Name, t => new Dictionary<string, double>(model.WeightsOf(t))),
            new ScoringThresholdsResponse(rules.AlertBelow, rules.EscalateBelow, rules.UpsellAbove, rules.AtRiskBelow),
            ScoreFormulas.FactorsOf.ToDictionary(f => ScoreFormulas.Name(f.Key), f => f.Value),
            ScoreFormulas.Grades.Select(g => new ScoreGradeResponse(g.Grade, g.Min, g.Max)).ToList(),
            rules.UpdatedAt,
            rules.Version);
    }

    public static ScoringRunResponse ToResponse(this ScoringRun run) => new(
        run.Id,
        JsonNamingPolicy.SnakeCaseLower.ConvertName(run.Trigger.ToString()),
        JsonNamingPolicy.SnakeCaseLower.ConvertName(run.Status.ToString()),
        run.StartedAt,
        run.UpdatedAt,
        run.FinishedAt,
        run.StartedBy,
        run.Chunks,
        run.CustomersScored,
        run.Crossings,
        run.Error);
}
