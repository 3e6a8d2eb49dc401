namespace Aida.Features.Scoring;

/// <summary><c>GET /api/v1/scoring/rules</c>: the factor weights of each score type, the thresholds, the factors each type may weigh and the grade mapping.</summary>
public static class GetScoringRules
{
    public static async Task<Results<Ok<ScoringRulesResponse>, ProblemHttpResult>> Handle(AidaDb db, HttpResponse response, CancellationToken cancellationToken)
    {
        var rules = await ScoringRules.LoadAsync(db, cancellationToken);
        return Result.Ok(rules.ToResponse(), rules.Version).ToOkOrProblem(response);
    }
}

/// <summary>
/// <c>PUT /api/v1/scoring/rules</c> (admin.settings): replaces the weights and thresholds. Weights: for every
/// score type, each factor it may weigh at 0–100 (a factor left out weighs 0), at least one above 0; they are
/// normalised when scores are computed. Thresholds: 0–100 with escalate &lt; alert &lt; upsell and the at-risk
/// threshold between escalate and upsell. Any error is a 400 naming the field and nothing is saved. If-Match
/// with the version read (optional, as on every change) keeps two administrators editing at once from
/// overwriting each other unseen; the screen always sends it.
/// Takes effect at the next recalculation; audited, and announced as <c>scoring_rules.updated</c>.
/// </summary>
public static class UpdateScoringRules
{
    public sealed record Request(
        Dictionary<string, Dictionary<string, double>?>? Weights,
        int? AlertBelow,
        int? EscalateBelow,
        int? UpsellAbove,
        int? AtRiskBelow);

    public const double MaxWeight = 100;

    public static async Task<Results<Ok<ScoringRulesResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        [FromBody] Request request, [FromHeader(Name = "If-Match")] string? ifMatch, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(request, ifMatch, db, cancellationToken)).ToOk(response);

    public static async Task<Result<ScoringRulesResponse>> RunAsync(Request request, string? ifMatch, AidaDb db, CancellationToken cancellationToken)
    {
        // The header is judged before the values, so a request wrong in both is told about If-Match.
        if (IfMatch.Parse(ifMatch) is not { IsValid: true })
        {
            return Failure.Invalid.IfMatch();
        }

        var errors = new ValidationErrors();
        var weights = Weights(request.Weights, errors);
        var alert = Threshold("alertBelow", request.AlertBelow, errors);
        var escalate = Threshold("escalateBelow", request.EscalateBelow, errors);
        var upsell = Threshold("upsellAbove", request.UpsellAbove, errors);
        var atRisk = Threshold("atRiskBelow", request.AtRiskBelow, errors);
        if (!errors.Any)
        {
            if (escalate >= alert)
            {
                errors.Add("escalateBelow", "Must be below alertBelow: escalation is for health worse than an alert.");
            }

            if (upsell <= alert)
            {
                errors.Add("upsellAbove", "Must be above alertBelow.");
            }

            if (atRisk < escalate || atRisk >= upsell)
            {
                errors.Add("atRiskBelow", "Must be at least escalateBelow and below upsellAbove.");
            }
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        return await db.ChangeAsync(db.Set<ScoringRules>().Where(r => r.Id == ScoringRules.RowId), ifMatch, "scoring rules", rules =>
        {
            rules.Weights = JsonSerializer.Serialize(weights, ApiJson.Options);
            rules.AlertBelow = alert;
            rules.EscalateBelow = escalate;
            rules.UpsellAbove = upsell;
            rules.AtRiskBelow = atRisk;
            db.PublishChanges(rules, "scoring_rules.updated", "scoring-rules", changes => new { changes });
            return Task.FromResult<Failure?>(null);
        }, rules => rules.ToResponse(), cancellationToken);
    }

    private static Dictionary<string, Dictionary<string, double>> Weights(Dictionary<string, Dictionary<string, double>?>? given, ValidationErrors errors)
    {
        var weights = new Dictionary<string, Dictionary<string, double>>(StringComparer.Ordinal);
        if (given is null)
        {
            errors.Add("weights", "Is required: the factor weights of every score type.");
            return weights;
        }

        foreach (var name in given.Keys.Where(k => ScoreFormulas.Parse(k) is null))
        {
            errors.Add("weights." + name, "Is not a score type; the types are " + string.Join(", ", ScoreFormulas.Types.Select(ScoreFormulas.Name)) + ".");
        }

        foreach (var type in ScoreFormulas.Types)
        {
            var name = ScoreFormulas.Name(type);
            if (!given.TryGetValue(name, out var factors) || factors is null)
            {
                errors.Add("weights." + name, "Is required: the weights of this score's factors.");
                continue;
            }

            var allowed = ScoreFormulas.FactorsOf[type];
            var kept = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var (factor, weight) in factors)
            {
                var field = $"weights.{name}.{factor}";
                if (!allowed.Contains(factor, StringComparer.Ordinal))
                {
                    errors.Add(field, $"Is not a factor of {name}; its factors are {string.Join(", ", allowed)}.");
                }
                else if (!double.IsFinite(weight) || weight < 0 || weight > MaxWeight)
                {
                    errors.Add(field, $"Must be a number from 0 to {MaxWeight.ToString(CultureInfo.InvariantCulture)}.");
                }
                else
                {
                    kept[factor] = weight;
                }
            }

            if (!errors.Has("weights." + name) && factors.Count > 0 && kept.Count == factors.Count && kept.Values.All(w => w == 0))
            {
                errors.Add("weights." + name, "Needs at least one factor weighing more than 0.");
            }
            else if (factors.Count == 0)
            {
                errors.Add("weights." + name, "Needs at least one factor weighing more than 0.");
            }

            weights[name] = kept;
        }

        return weights;
    }

    private static int Threshold(string field, int? value, ValidationErrors errors)
    {
        if (value is not { } v)
        {
            errors.Add(field, "Is required: a score from 0 to 100.");
            return 0;
        }

        if (v is < 0 or > 100)
        {
            errors.Add(field, "Must be from 0 to 100.");
        }

        return v;
    }
}
