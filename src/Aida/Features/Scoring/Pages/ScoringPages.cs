namespace Aida.Features.Scoring.Pages;

/// <summary>The HealthDashboard and ScoringRules screens (spec 002), and recalculating one customer from its Scores tab.</summary>
public static class ScoringPages
{
    public static async Task<IResult> Dashboard(string? cursor, HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        var view = await HealthTrend.RunAsync(db, AtRiskCursor.TryParse(cursor, out _, out _) ? cursor : null, Paging.DefaultLimit, cancellationToken);
        return Html.Page<HealthDashboardPage>(new { Context = UiContext.For(http), View = view });
    }

    public static async Task<IResult> Recalculate(Guid customerId, HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        var result = await RecalculateCustomerScores.RunAsync(customerId, db, cancellationToken);
        if (result.Failure is Failure.NotFound)
        {
            return Html.NotFound(http, "customer");
        }

        return Html.Finish(http, result.Failure, $"/customers/{customerId}?tab=scores", "The scores were recalculated.");
    }

    public static async Task<IResult> Rules(HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        var rules = await ScoringRules.LoadAsync(db, cancellationToken);
        var runs = (await ListScoringRuns.Handle(db, cancellationToken)).Value!;
        return Html.Page<ScoringRulesPage>(new { Context = UiContext.For(http), Rules = rules.ToResponse(), Runs = runs.Take(10).ToList() });
    }

    /// <summary>The form posts one field per weight ("weights.health.sentiment") and per threshold; the same validation as the API.</summary>
    public static async Task<IResult> SaveRules(HttpContext http, AidaDb db, IFormCollection posted, CancellationToken cancellationToken)
    {
        var values = new FormValues(posted);
        var errors = new ValidationErrors();
        var weights = new Dictionary<string, Dictionary<string, double>?>(StringComparer.Ordinal);
        foreach (var (type, factors) in ScoreFormulas.FactorsOf)
        {
            var name = ScoreFormulas.Name(type);
            var typed = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var factor in factors)
            {
                var field = $"weights.{name}.{factor}";
                var text = values.Text(field);
                if (text is null)
                {
                    continue;
                }

                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var weight))
                {
                    typed[factor] = weight;
                }
                else
                {
                    errors.Add(field, "Must be a number.");
                }
            }

            weights[name] = typed;
        }

        var request = new UpdateScoringRules.Request(weights, Int("alertBelow"), Int("escalateBelow"), Int("upsellAbove"), Int("atRiskBelow"));
        if (errors.Any)
        {
            return Html.Finish(http, errors.ToFailure(), "/settings/scoring", "");
        }

        var result = await UpdateScoringRules.RunAsync(request, values.IfMatch, db, cancellationToken);
        return Html.Finish(http, result.Failure, "/settings/scoring", "The scoring rules were saved. They apply from the next recalculation.");

        int? Int(string field)
        {
            var text = values.Text(field);
            if (text is null)
            {
                return null;
            }

            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            errors.Add(field, "Must be a whole number.");
            return null;
        }
    }

    public static async Task<IResult> StartRun(HttpContext http, AidaDb db, ScoringWakeUp wakeUp, CancellationToken cancellationToken)
    {
        await StartScoringRun.Handle(db, wakeUp, cancellationToken);
        return Html.Done(http, "/settings/scoring", "A full recalculation is running; its progress is listed below.");
    }
}
