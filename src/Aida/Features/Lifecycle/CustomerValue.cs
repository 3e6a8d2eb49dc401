namespace Aida.Features.Lifecycle;

/// <summary>
/// A customer's value figures (spec 004 customer_value_metrics, "Customer Value Calculation Flow"), all in
/// <see cref="Currency"/>, the currency of the customer's purchases; null figures where there is not yet
/// enough history to say.
/// </summary>
public sealed record CustomerValueResponse(
    Guid CustomerId,
    string? Currency,
    decimal TotalRevenue,
    decimal RefundedAmount,
    int PurchaseCount,
    DateOnly? FirstPurchaseDate,
    DateOnly? LastPurchaseDate,
    decimal? AverageOrderValue,
    decimal? PurchaseFrequencyDays,
    decimal LifetimeValue,
    decimal? PredictedValue,
    int PredictionHorizonDays,
    StageSummary Stage);

/// <summary>
/// <c>GET /api/v1/customers/{id}/value</c>. The figures derive from the purchase columns of
/// <see cref="CustomerLifecycle"/>, which every purchase keeps current in its own save, so reading them costs
/// one row (and one sum of the customer's refunds). Spec 004 names the figures but gives no formulas; these
/// are the standard historical ones:
/// <list type="bullet">
/// <item>total revenue: purchases less refunds; the lifetime value (historical CLV) is this figure.</item>
/// <item>average order value: total revenue / purchase count (refunds are not orders, so they lower the value, not the count).</item>
/// <item>purchase frequency: the average days between purchases, (last − first) / (count − 1); needs two purchases.</item>
/// <item>predicted value: what the next <see cref="PredictionHorizonDays"/> days should bring at this pace,
/// average order value × horizon / frequency — a customer buying every 30 days for 100 is worth about 1,217 a
/// year. Zero for a customer who has left (a post-customer stage: churned); null without a frequency.</item>
/// </list>
/// </summary>
public static class CustomerValue
{
    public const int PredictionHorizonDays = 365;

    public static async Task<Results<Ok<CustomerValueResponse>, ProblemHttpResult>> Handle(
        Guid id, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(id, db, cancellationToken)).ToOkOrProblem(response);

    public static async Task<Result<CustomerValueResponse>> RunAsync(Guid id, AidaDb db, CancellationToken cancellationToken)
    {
        var lifecycle = await db.Set<CustomerLifecycle>().AsNoTracking().FirstOrDefaultAsync(l => l.Id == id, cancellationToken);
        if (lifecycle is null)
        {
            return new Failure.NotFound("customer");
        }

        var stages = await StageCatalog.LoadAsync(db, cancellationToken);
        return Result.Ok(await CalculateAsync(db, lifecycle, stages[lifecycle.CurrentStageId], cancellationToken));
    }

    /// <summary>The figures of a customer known to exist and be in reach.</summary>
    public static async Task<CustomerValueResponse> CalculateAsync(AidaDb db, CustomerLifecycle lifecycle, LifecycleStage stage, CancellationToken cancellationToken)
    {
        // Summed here: SQLite neither sums nor compares decimals in SQL (the sign is tested as a double), and a customer's refunds are few.
        var refunds = await db.Set<Purchase>().AsNoTracking().Where(p => p.CustomerId == lifecycle.Id && (double)p.Amount < 0).Select(p => p.Amount).ToListAsync(cancellationToken);
        return Calculate(lifecycle, -refunds.Sum(), stage);
    }

    public static CustomerValueResponse Calculate(CustomerLifecycle lifecycle, decimal refunded, LifecycleStage stage)
    {
        var count = lifecycle.PurchaseCount;
        var revenue = lifecycle.TotalRevenue;
        decimal? average = count > 0 ? decimal.Round(revenue / count, 2) : null;
        decimal? frequency = count >= 2 && lifecycle is { FirstPurchaseDate: { } first, LastPurchaseDate: { } last }
            ? decimal.Round((decimal)(last.DayNumber - first.DayNumber) / (count - 1), 2)
            : null;
        decimal? predicted = stage.Category == StageCategory.PostCustomer
            ? 0
            : average is { } aov && frequency is > 0 ? decimal.Round(Math.Max(0, aov) * PredictionHorizonDays / frequency.Value, 2) : null;
        return new CustomerValueResponse(
            lifecycle.Id, lifecycle.PurchaseCurrency, revenue, refunded, count, lifecycle.FirstPurchaseDate, lifecycle.LastPurchaseDate,
            average, frequency, revenue, predicted, PredictionHorizonDays, stage.ToSummary());
    }
}
