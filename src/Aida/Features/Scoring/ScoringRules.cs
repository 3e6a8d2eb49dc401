namespace Aida.Features.Scoring;

/// <summary>
/// The scoring model an administrator edits on the ScoringRules screen: per score type the weight of each
/// factor, and the health thresholds (WF-LC-002 step 5: below 40 alert, below 20 escalate, above 80 upsell;
/// and below which a customer moves to At Risk). One row, seeded by migration 0010; audited on change.
/// Weights are stored as given and normalised when scores are computed (a score is Σ wᵢ·rawᵢ / Σ wᵢ), so an
/// administrator may type 2, 1, 1 as readily as 0.5, 0.25, 0.25.
/// </summary>
public sealed class ScoringRules : AuditedEntity
{
    public static readonly Guid RowId = new("01900000-0000-7000-8000-000000000301");

    /// <summary>JSON: <c>{"health": {"interactionRecency": 0.2, …}, "engagement": {…}, …}</c>.</summary>
    public required string Weights { get; set; }

    public int AlertBelow { get; set; }

    public int EscalateBelow { get; set; }

    public int UpsellAbove { get; set; }

    public int AtRiskBelow { get; set; }

    public ScoringModel ToModel() => new(
        JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, double>>>(Weights, ApiJson.Options) ?? [],
        AlertBelow, EscalateBelow, UpsellAbove, AtRiskBelow);

    public static async Task<ScoringRules> LoadAsync(AidaDb db, CancellationToken cancellationToken) =>
        await db.Set<ScoringRules>().FirstAsync(r => r.Id == RowId, cancellationToken);
}

public sealed class ScoringRulesConfiguration : IEntityTypeConfiguration<ScoringRules>
{
    public void Configure(EntityTypeBuilder<ScoringRules> builder)
    {
        builder.ToTable("scoring_rules");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Weights).IsJson();
        builder.Property(r => r.Version).IsConcurrencyToken();
    }
}

/// <summary>The rules as the calculator uses them: weights per score type (by its API name) and thresholds.</summary>
public sealed record ScoringModel(
    IReadOnlyDictionary<string, Dictionary<string, double>> Weights,
    int AlertBelow,
    int EscalateBelow,
    int UpsellAbove,
    int AtRiskBelow)
{
    public IReadOnlyDictionary<string, double> WeightsOf(ScoreType type) =>
        Weights.TryGetValue(ScoreFormulas.Name(type), out var weights) ? weights : new Dictionary<string, double>();
}
