namespace Aida.Features.Leads.Scoring;

public sealed record ScoringConditionDto(string Field, ScoringOperator Operator, string? Value, IReadOnlyList<string>? Values);

public sealed record ScoringRuleResponse(
    Guid Id, string Name, ScoringCategory Category, ScoringConditionDto Condition, string Description, int Points, bool IsActive, int Position,
    DateTime CreatedAt, DateTime UpdatedAt, int Version);

/// <summary>A rule after it was added or changed, with the rescore of the open leads that followed in the same request.</summary>
public sealed record ScoringRuleChanged(ScoringRuleResponse Rule, LeadScoring.RescoreResult Rescore);

public static class ScoringRuleMapping
{
    public static ScoringRuleResponse ToResponse(this LeadScoringRule r) => new(
        r.Id, r.Name, r.Category,
        new ScoringConditionDto(r.Field, r.Operator, r.Value, r.ValueList is null ? null : ScoringConditions.ListOf(r)),
        ScoringConditions.Describe(r), r.Points, r.IsActive, r.Position, r.CreatedAt, r.UpdatedAt, r.Version);
}
