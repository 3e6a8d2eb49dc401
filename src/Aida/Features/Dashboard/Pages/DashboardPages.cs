namespace Aida.Features.Dashboard.Pages;

/// <summary>
/// The home page: the CRM dashboard through its use case (<see cref="CrmDashboard"/>), with the pipeline and the
/// period's forecast drawn as inline SVG bars on the server, every figure also written out and linked to the list it
/// counts, so the page needs no script and reads in a screen reader.
/// </summary>
public static class DashboardPages
{
    /// <summary>One horizontal bar: its label, the value it is drawn from, the text beside it, where it links.</summary>
    public sealed record Bar(string Label, decimal Value, string Text, string CssClass, string? Href);

    /// <summary>Bars placed in the SVG's own coordinates.</summary>
    public sealed record Chart(double Width, double Height, IReadOnlyList<(Bar Bar, double Y, double Length)> Rows);

    public sealed record View(UiContext Context, User User, string? Period, IReadOnlyDictionary<string, string[]>? Errors, CrmDashboard.Response? Dashboard);

    public static async Task<IResult> Show(HttpContext http, AidaDb db, string? period, CancellationToken cancellationToken)
    {
        var user = await db.Set<User>().AsNoTracking().FirstAsync(u => u.Id == db.Operation.ActorId, cancellationToken);
        var result = await CrmDashboard.RunAsync(period, db, cancellationToken);
        var view = new View(UiContext.For(http), user, period, result.Failure?.FieldErrors, result.Value);
        return Html.Page<DashboardPage>(new { View = view }, result.Failure?.StatusCode);
    }

    public const double ChartWidth = 520;
    private const double LabelWidth = 130;
    private const double TextWidth = 120;
    private const double RowHeight = 28;

    /// <summary>Bars scaled to the largest value; a chart of zeros draws no bar but still lists every row.</summary>
    public static Chart ChartOf(IReadOnlyList<Bar> bars)
    {
        var max = bars.Select(b => b.Value).DefaultIfEmpty(0m).Max();
        var room = ChartWidth - LabelWidth - TextWidth;
        var rows = bars.Select((bar, i) => (bar, i * RowHeight, max <= 0 ? 0 : (double)(bar.Value / max) * room)).ToList();
        return new Chart(ChartWidth, (bars.Count * RowHeight) + 4, rows);
    }

    public static double BarX => LabelWidth;

    public static string Percent(decimal? rate) => rate is { } r ? (r * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : "–";

    /// <summary>The period in words: "December 2026", "Q4 2026", "week of 30 Nov 2026", "Mon 7 Dec 2026", "2026".</summary>
    public static string Describe(CrmDashboard.Period period) => period.Name switch
    {
        DashboardPeriod.Day => period.From.ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture),
        DashboardPeriod.Week => "week of " + period.From.ToString("d MMM yyyy", CultureInfo.InvariantCulture),
        DashboardPeriod.Month => period.From.ToString("MMMM yyyy", CultureInfo.InvariantCulture),
        DashboardPeriod.Quarter => $"Q{((period.From.Month - 1) / 3) + 1} {period.From.Year}",
        _ => period.From.Year.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The lead list filtered to the leads created in the period: the list behind "new leads".</summary>
    public static string CreatedInPeriod(CrmDashboard.Period period, string? status = null) =>
        "/leads?createdFrom=" + Uri.EscapeDataString(UiContext.Iso(period.Since)) + "&createdTo=" + Uri.EscapeDataString(UiContext.Iso(period.Until))
        + (status is null ? "" : "&status=" + status);

    /// <summary>"Contact updated", "Customer created": what an audit entry did, in words.</summary>
    public static string ChangeText(CrmDashboard.CustomerChange change) =>
        Capitalised(change.EntityType.Replace('_', ' ')) + change.Action switch
        {
            AuditAction.Create => " added",
            AuditAction.Delete => " deleted",
            _ => " changed",
        };

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
