namespace Aida.Features.Scoring;

/// <summary>What Aida knows about one customer, aggregated in SQL for a chunk: one row per customer, not per record.</summary>
public sealed record CustomerFacts(
    Guid CustomerId,
    DateTime? LastInteractionAt,
    int RecentInteractions,
    int PositiveInteractions,
    int NeutralInteractions,
    int NegativeInteractions,
    int OverdueActivities,
    DateOnly? LastPurchaseDate,
    int PurchaseCount,
    decimal TotalRevenue,
    int DealsWon,
    int DealsLost)
{
    /// <summary>Spec 002's "no scoring data": no interaction, no purchase and no closed deal to judge by.</summary>
    public bool HasNoData => LastInteractionAt is null && PurchaseCount == 0 && LastPurchaseDate is null && DealsWon + DealsLost == 0;
}

/// <summary>One factor of a score's breakdown (spec 002's <c>factors</c>): normalised weight, raw 0–100 value, weight × raw.</summary>
public sealed record CustomerScoreFactor(double Weight, double Raw, double Weighted);

/// <summary>A computed score before it is stored.</summary>
public sealed record ComputedScore(ScoreType Type, int Value, string Grade, IReadOnlyDictionary<string, CustomerScoreFactor> Factors, bool InsufficientData);

/// <summary>
/// Every scoring formula in one place. Each factor is normalised to 0–100 (higher is better for the
/// customer relationship), and a score is the weighted average of its factors under the administrator's
/// weights (<see cref="ScoringRules"/>), rounded. Churn risk averages the same factors inverted
/// (100 − raw: risk is high when they are bad); upsell potential averages the health and value scores
/// with the deal win rate. Feedback (NPS, surveys) is not a factor yet: Aida records no feedback so far.
/// </summary>
public static class ScoreFormulas
{
    public const string InteractionRecency = "interactionRecency";
    public const string InteractionFrequency = "interactionFrequency";
    public const string Sentiment = "sentiment";
    public const string OverdueActivities = "overdueActivities";
    public const string PurchaseRecency = "purchaseRecency";
    public const string PurchaseFrequency = "purchaseFrequency";
    public const string PurchaseMonetary = "purchaseMonetary";
    public const string DealWinRate = "dealWinRate";
    public const string HealthScore = "health";
    public const string ValueScore = "value";

    /// <summary>The window of the frequency factor, and how many interactions in it count as fully engaged.</summary>
    public static readonly TimeSpan FrequencyWindow = TimeSpan.FromDays(90);
    public const int FullFrequency = 12;

    /// <summary>Days after which the last interaction / purchase counts for nothing.</summary>
    public const double InteractionRecencyDays = 90;
    public const double PurchaseRecencyDays = 365;

    /// <summary>Each overdue open activity costs this much of 100.</summary>
    public const double OverduePenalty = 25;

    public const int FullPurchaseCount = 10;

    /// <summary>Lifetime revenue scoring 100 (log scale: 1,000 scores 60, 10,000 scores 80).</summary>
    public const double FullRevenue = 100_000;

    /// <summary>The default score of a customer with no scoring data (spec 002: assign a default, flag for review).</summary>
    public const int DefaultScore = 50;

    public static readonly ScoreType[] Types = Enum.GetValues<ScoreType>();

    /// <summary>The factors each score type may weigh (the ScoringRules screen's rows).</summary>
    public static readonly IReadOnlyDictionary<ScoreType, string[]> FactorsOf = new Dictionary<ScoreType, string[]>
    {
        [ScoreType.Health] = [InteractionRecency, InteractionFrequency, Sentiment, OverdueActivities, PurchaseRecency, PurchaseFrequency, PurchaseMonetary, DealWinRate],
        [ScoreType.Engagement] = [InteractionRecency, InteractionFrequency, Sentiment, OverdueActivities],
        [ScoreType.Value] = [PurchaseRecency, PurchaseFrequency, PurchaseMonetary, DealWinRate],
        [ScoreType.ChurnRisk] = [InteractionRecency, InteractionFrequency, Sentiment, OverdueActivities, PurchaseRecency, PurchaseFrequency, DealWinRate],
        [ScoreType.UpsellPotential] = [HealthScore, ValueScore, DealWinRate, PurchaseFrequency],
    };

    /// <summary>The score type's name in the API and in the weights JSON: spec 002's spelling (churn_risk), as every enum value of the API.</summary>
    public static string Name(ScoreType type) => EnumText<ScoreType>.ToText(type);

    public static ScoreType? Parse(string name) => Types.Cast<ScoreType?>().FirstOrDefault(t => Name(t!.Value) == name);

    /// <summary>Spec 002's grades: A 80–100, B 60–79, C 40–59, D 20–39, F 0–19.</summary>
    public static string Grade(int value) => value switch
    {
        >= 80 => "A",
        >= 60 => "B",
        >= 40 => "C",
        >= 20 => "D",
        _ => "F",
    };

    /// <summary>The lowest score of each grade, best first (the grade mapping the screens show).</summary>
    public static readonly (string Grade, int Min, int Max)[] Grades = [("A", 80, 100), ("B", 60, 79), ("C", 40, 59), ("D", 20, 39), ("F", 0, 19)];

    /// <summary>The normalised factors of one customer.</summary>
    public static Dictionary<string, double> Normalise(CustomerFacts facts, DateTime now)
    {
        var rated = facts.PositiveInteractions + facts.NeutralInteractions + facts.NegativeInteractions;
        var closed = facts.DealsWon + facts.DealsLost;
        var today = DateOnly.FromDateTime(now);
        return new Dictionary<string, double>(StringComparer.Ordinal)
        {
            [InteractionRecency] = facts.LastInteractionAt is { } last ? Falling((now - last).TotalDays, InteractionRecencyDays) : 0,
            [InteractionFrequency] = Math.Min(100, facts.RecentInteractions * 100.0 / FullFrequency),
            // No rated interaction says nothing either way: neutral.
            [Sentiment] = rated == 0 ? 50 : (100.0 * facts.PositiveInteractions + 50.0 * facts.NeutralInteractions) / rated,
            [OverdueActivities] = Math.Max(0, 100 - OverduePenalty * facts.OverdueActivities),
            [PurchaseRecency] = facts.LastPurchaseDate is { } bought ? Falling(today.DayNumber - bought.DayNumber, PurchaseRecencyDays) : 0,
            [PurchaseFrequency] = Math.Min(100, facts.PurchaseCount * 100.0 / FullPurchaseCount),
            [PurchaseMonetary] = facts.TotalRevenue <= 0 ? 0 : Math.Min(100, 100 * Math.Log10(1 + (double)facts.TotalRevenue) / Math.Log10(1 + FullRevenue)),
            // No closed deal: neither a good nor a bad sign.
            [DealWinRate] = closed == 0 ? 50 : 100.0 * facts.DealsWon / closed,
        };
    }

    /// <summary>All five scores of one customer under <paramref name="model"/>.</summary>
    public static List<ComputedScore> Compute(CustomerFacts facts, ScoringModel model, DateTime now)
    {
        var raw = Normalise(facts, now);
        var insufficient = facts.HasNoData;
        var scores = new List<ComputedScore>(Types.Length);
        foreach (var type in new[] { ScoreType.Health, ScoreType.Engagement, ScoreType.Value, ScoreType.ChurnRisk })
        {
            var inputs = type == ScoreType.ChurnRisk ? raw.ToDictionary(f => f.Key, f => 100 - f.Value) : raw;
            scores.Add(Weigh(type, inputs, model, insufficient));
        }

        raw[HealthScore] = scores[0].Value;
        raw[ValueScore] = scores[2].Value;
        scores.Add(Weigh(ScoreType.UpsellPotential, raw, model, insufficient));
        return scores;
    }

    private static ComputedScore Weigh(ScoreType type, IReadOnlyDictionary<string, double> raw, ScoringModel model, bool insufficient)
    {
        var weights = model.WeightsOf(type).Where(w => w.Value > 0 && raw.ContainsKey(w.Key)).ToList();
        var total = weights.Sum(w => w.Value);
        var factors = new Dictionary<string, CustomerScoreFactor>(StringComparer.Ordinal);
        double sum = 0;
        foreach (var (name, weight) in weights)
        {
            var normalised = weight / total;
            var value = raw[name];
            factors[name] = new CustomerScoreFactor(Math.Round(normalised, 4), Math.Round(value, 1), Math.Round(normalised * value, 2));
            sum += normalised * value;
        }

        var score = insufficient || total <= 0 ? DefaultScore : Math.Clamp((int)Math.Round(sum, MidpointRounding.AwayFromZero), 0, 100);
        return new ComputedScore(type, score, Grade(score), factors, insufficient);
    }

    /// <summary>100 at 0, falling linearly to 0 at <paramref name="zeroAt"/>.</summary>
    private static double Falling(double elapsed, double zeroAt) => 100 * Math.Clamp(1 - (Math.Max(0, elapsed) / zeroAt), 0, 1);
}
