namespace Aida.Features.Deals.Pages;

/// <summary>
/// The forecast screen (<c>/forecast</c>): the same figures as <c>GET /api/v1/forecast</c> (through its use case),
/// drawn as an inline SVG bar chart rendered on the server — weighted, best case and closed won per period —
/// with the figures in a table beside it, so it needs no script and reads in a screen reader.
/// </summary>
public static class ForecastPages
{
    /// <summary>One bar of the chart, placed in the SVG's own coordinates.</summary>
    public sealed record Bar(string Series, string CssClass, double X, double Y, double Width, double Height, string Title);

    public sealed record Chart(double Width, double Height, double Baseline, IReadOnlyList<Bar> Bars, IReadOnlyList<(double X, string Label)> Labels, IReadOnlyList<(double Y, string Label)> Ticks);

    public sealed record View(UiContext Context, FormValues Filters, IReadOnlyDictionary<string, string[]>? Errors, Forecast.Response? Forecast, Chart? Chart);

    public static async Task<IResult> Show(HttpContext http, AidaDb db, string? period, string? from, string? to, string? currency, CancellationToken cancellationToken)
    {
        var filters = new FormValues(new Dictionary<string, string?> { ["period"] = period, ["from"] = from, ["to"] = to, ["currency"] = currency });
        var result = await Forecast.RunAsync(period, from, to, null, null, currency, db, cancellationToken);
        var forecast = result.Value;
        var view = new View(UiContext.For(http), filters, result.Failure?.FieldErrors, forecast, forecast is null ? null : ChartOf(forecast));
        return Html.Page<ForecastPage>(new { View = view }, result.Failure?.StatusCode);
    }

    private const double PlotHeight = 220;
    private const double Top = 10;
    private const double Left = 70;
    private const double GroupWidth = 90;

    public static Chart ChartOf(Forecast.Response forecast)
    {
        var buckets = forecast.Buckets;
        var max = buckets.SelectMany(b => new[] { b.Figures.Weighted, b.Figures.BestCase, b.Figures.ClosedWon }).DefaultIfEmpty(0m).Max();
        var scale = NiceCeiling(max);
        var baseline = Top + PlotHeight;
        var bars = new List<Bar>();
        var labels = new List<(double, string)>();
        for (var i = 0; i < buckets.Count; i++)
        {
            var bucket = buckets[i];
            var x = Left + (i * GroupWidth) + 10;
            (string Series, string Css, decimal Value)[] series =
            [
                ("Weighted", "bar-weighted", bucket.Figures.Weighted),
                ("Best case", "bar-best", bucket.Figures.BestCase),
                ("Closed won", "bar-won", bucket.Figures.ClosedWon),
            ];
            for (var s = 0; s < series.Length; s++)
            {
                var height = scale == 0 ? 0 : (double)(series[s].Value / scale) * PlotHeight;
                bars.Add(new Bar(series[s].Series, series[s].Css, x + (s * 22), baseline - height, 20, height,
                    $"{bucket.Label}, {series[s].Series}: {Money.Format(series[s].Value, forecast.Currency)}"));
            }

            labels.Add((x + 32, bucket.Label));
        }

        var ticks = Enumerable.Range(0, 5).Select(t => (baseline - (t * PlotHeight / 4), Amount(scale * t / 4))).ToList();
        return new Chart(Left + (buckets.Count * GroupWidth) + 10, baseline + 30, baseline, bars, labels, ticks);
    }

    /// <summary>An axis tick: the figure alone, the currency is said once beside the chart.</summary>
    public static string Amount(decimal value) => value.ToString("#,0.##", CultureInfo.InvariantCulture);

    /// <summary>A round top for the axis (1, 2 or 5 times a power of ten) so the ticks read easily.</summary>
    private static decimal NiceCeiling(decimal max)
    {
        if (max <= 0)
        {
            return 0;
        }

        var power = (decimal)Math.Pow(10, Math.Floor(Math.Log10((double)max)));
        foreach (var step in new[] { 1m, 2m, 5m, 10m })
        {
            if (max <= step * power)
            {
                return step * power;
            }
        }

        return 10 * power;
    }
}
