using Aida.Platform.Reporting;

namespace Aida.Features.Deals;

public enum ForecastPeriod
{
    Month,
    Quarter,
}

/// <summary>
/// The sales forecast (<c>GET /api/v1/forecast</c>), per month or quarter and per owner, over the deals the
/// actor reaches (<see cref="DealAccess"/>):
/// <list type="bullet">
/// <item>open deals by expected close date (no date: the "unscheduled" bucket; a date outside the range: not counted);</item>
/// <item><b>best case</b>: every open deal at full value (the open pipeline total);</item>
/// <item><b>weighted</b>: value × effective probability (the deal's override, else its stage's);</item>
/// <item><b>commit</b>: open deals whose effective probability is at least <see cref="CommitProbability"/>% (one
/// rule for every pipeline, whatever its stages are called; in the default pipeline that is negotiation onwards);</item>
/// <item><b>closed won</b>: deals won in the period, by the day they closed (UTC); plus won quarter and year to date.</item>
/// </list>
/// Amounts of different currencies are never added: one currency at a time, the most common one unless
/// <c>currency</c> names another, with every currency in scope listed so a client can ask for the others.
/// </summary>
public static class Forecast
{
    public const int CommitProbability = 75;
    public const int MaxBuckets = 36;
    public const string Unscheduled = "unscheduled";

    public sealed record Figures(int OpenDeals, decimal BestCase, decimal Weighted, decimal Commit, int WonDeals, decimal ClosedWon);

    public sealed record Bucket(string Key, string Label, DateOnly? Start, DateOnly? End, Figures Figures);

    public sealed record OwnerFigures(Guid? OwnerId, string? OwnerName, Figures Figures);

    public sealed record ToDate(DateOnly QuarterStart, decimal Quarter, DateOnly YearStart, decimal Year);

    public sealed record Response(
        ForecastPeriod Period,
        DateOnly From,
        DateOnly To,
        string? Currency,
        IReadOnlyList<CurrencyCount> Currencies,
        string CommitRule,
        IReadOnlyList<Bucket> Buckets,
        IReadOnlyList<OwnerFigures> Owners,
        Figures Totals,
        ToDate ClosedWonToDate);

    private sealed record Row(Guid? OwnerId, DealStatus Status, decimal Value, DateOnly? ExpectedCloseOn, DateTime? ClosedAt, int Probability);

    public static async Task<Results<Ok<Response>, ValidationProblem>> Handle(
        string? period, string? from, string? to, Guid? ownerId, Guid? pipelineId, string? currency, AidaDb db, CancellationToken cancellationToken)
    {
        var forecast = await RunAsync(period, from, to, ownerId, pipelineId, currency, db, cancellationToken);
        return forecast.Succeeded ? TypedResults.Ok(forecast.Value) : ((Failure.Invalid)forecast.Failure).ToValidationProblem();
    }

    /// <summary>
    /// The currencies of <paramref name="deals"/> with how many deals each, most used first (ties alphabetical): what a
    /// report that shows one currency at a time lists, and picks from with <see cref="Reports.MostCommon"/>.
    /// </summary>
    public static async Task<List<CurrencyCount>> CurrenciesAsync(IQueryable<Opportunity> deals, CancellationToken cancellationToken) =>
        (await deals.GroupBy(o => o.Currency).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken))
            .Select(c => new CurrencyCount(c.Key, c.Count)).OrderByDescending(c => c.Deals).ThenBy(c => c.Currency, StringComparer.Ordinal).ToList();

    /// <summary>The forecast, or the parameters it cannot use (its only refusal).</summary>
    public static async Task<Result<Response>> RunAsync(
        string? period, string? from, string? to, Guid? ownerId, Guid? pipelineId, string? currency, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var unit = QueryValues.Enum<ForecastPeriod>(period, "period", errors) ?? ForecastPeriod.Month;
        var fromDate = Reports.Date(errors, "from", from);
        var toDate = Reports.Date(errors, "to", to);
        var chosenCurrency = Money.Currency(errors, "currency", currency);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        var today = DateOnly.FromDateTime(db.Clock.UtcNow());
        var start = Start(fromDate ?? today, unit);
        var last = Start(toDate ?? Next(start, unit, unit == ForecastPeriod.Month ? 5 : 3), unit);
        if (last < start)
        {
            errors.Add("to", "Must not be before from.");
            return errors.ToFailure();
        }

        var starts = new List<DateOnly>();
        for (var s = start; s <= last && starts.Count <= MaxBuckets; s = Next(s, unit, 1))
        {
            starts.Add(s);
        }

        if (starts.Count > MaxBuckets)
        {
            errors.Add("to", $"The range may hold at most {MaxBuckets} {(unit == ForecastPeriod.Month ? "months" : "quarters")}.");
            return errors.ToFailure();
        }

        var end = Next(last, unit, 1).AddDays(-1);
        var since = start.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var until = end.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

        var deals = db.Set<Opportunity>().AsNoTracking();
        if (ownerId is { } owner)
        {
            deals = deals.Where(o => o.OwnerId == owner);
        }

        if (pipelineId is { } pipeline)
        {
            deals = deals.Where(o => o.PipelineId == pipeline);
        }

        var inForecast = deals.Where(o =>
            (o.Status == DealStatus.Open && (o.ExpectedCloseOn == null || (o.ExpectedCloseOn >= start && o.ExpectedCloseOn <= end)))
            || (o.Status == DealStatus.Won && o.ClosedAt >= since && o.ClosedAt < until));
        var currencies = await CurrenciesAsync(inForecast, cancellationToken);
        var shown = chosenCurrency ?? Reports.MostCommon(currencies);

        var rows = await Reports.BoundedAsync(
            from o in inForecast.Where(o => o.Currency == shown)
            join s in db.Set<PipelineStage>() on o.StageId equals s.Id
            select new Row(o.OwnerId, o.Status, o.Value, o.ExpectedCloseOn, o.ClosedAt, o.ProbabilityOverride ?? s.Probability),
            errors, "to", cancellationToken);
        var quarterStart = Start(today, ForecastPeriod.Quarter);
        var yearStart = new DateOnly(today.Year, 1, 1);
        var yearSince = yearStart.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var now = db.Clock.UtcNow();
        var wonThisYear = await Reports.BoundedAsync(
            deals.Where(o => o.Status == DealStatus.Won && o.Currency == shown && o.ClosedAt >= yearSince && o.ClosedAt <= now).Select(o => new { o.Value, ClosedAt = o.ClosedAt!.Value }),
            errors, "currency", cancellationToken);
        if (rows is null || wonThisYear is null)
        {
            return errors.ToFailure();
        }

        var buckets = starts.Select(s =>
        {
            var bucketEnd = Next(s, unit, 1).AddDays(-1);
            return new Bucket(Key(s, unit), Label(s, unit), s, bucketEnd, Sum(rows.Where(r => InBucket(r, s, bucketEnd))));
        }).ToList();
        buckets.Add(new Bucket(Unscheduled, "Unscheduled", null, null, Sum(rows.Where(r => r.Status == DealStatus.Open && r.ExpectedCloseOn is null))));

        var names = await Reports.UserNamesAsync(db, rows.Select(r => r.OwnerId), cancellationToken);
        var owners = rows.GroupBy(r => r.OwnerId)
            .Select(g => new OwnerFigures(g.Key, g.Key is { } id ? names.GetValueOrDefault(id) : null, Sum(g)))
            .OrderByDescending(o => o.Figures.Weighted).ThenBy(o => o.OwnerName, StringComparer.Ordinal).ToList();
        var quarterSince = quarterStart.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var toDateFigures = new ToDate(
            quarterStart, wonThisYear.Where(w => w.ClosedAt >= quarterSince).Sum(w => w.Value),
            yearStart, wonThisYear.Sum(w => w.Value));

        return Result.Ok(new Response(
            unit, start, end, shown, currencies,
            $"Open deals whose effective probability (the deal's override, else its stage's) is at least {CommitProbability}%.",
            buckets, owners, Sum(rows), toDateFigures));
    }

    private static bool InBucket(Row row, DateOnly start, DateOnly end) => row.Status == DealStatus.Open
        ? row.ExpectedCloseOn is { } close && close >= start && close <= end
        : DateOnly.FromDateTime(row.ClosedAt!.Value) is var closed && closed >= start && closed <= end;

    private static Figures Sum(IEnumerable<Row> rows)
    {
        int open = 0, won = 0;
        decimal best = 0, weighted = 0, commit = 0, closedWon = 0;
        foreach (var row in rows)
        {
            if (row.Status == DealStatus.Won)
            {
                won++;
                closedWon += row.Value;
                continue;
            }

            open++;
            best += row.Value;
            weighted += Reports.Weighted(row.Value, row.Probability);
            if (row.Probability >= CommitProbability)
            {
                commit += row.Value;
            }
        }

        return new Figures(open, best, Reports.Cents(weighted), commit, won, closedWon);
    }

    public static DateOnly Start(DateOnly date, ForecastPeriod unit) =>
        unit == ForecastPeriod.Month ? new DateOnly(date.Year, date.Month, 1) : new DateOnly(date.Year, ((date.Month - 1) / 3 * 3) + 1, 1);

    private static DateOnly Next(DateOnly start, ForecastPeriod unit, int count) => start.AddMonths(unit == ForecastPeriod.Month ? count : 3 * count);

    private static string Key(DateOnly start, ForecastPeriod unit) => unit == ForecastPeriod.Month
        ? start.ToString("yyyy-MM", CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{start.Year}-Q{((start.Month - 1) / 3) + 1}");

    private static string Label(DateOnly start, ForecastPeriod unit) => unit == ForecastPeriod.Month
        ? start.ToString("MMM yyyy", CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"Q{((start.Month - 1) / 3) + 1} {start.Year}");
}
