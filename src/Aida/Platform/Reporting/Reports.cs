namespace Aida.Platform.Reporting;

/// <summary>
/// What the forecast and the deal analytics share: date parameters, the bound on the rows they read, and
/// exact money arithmetic.
/// <para>
/// Money is summed in memory, over a bounded projection, not by the database. On SQLite decimals are
/// TEXT, and EF translates <c>Sum</c> of a decimal to its own <c>ef_sum</c> function, which EF registers
/// only on connections it opens itself; Aida hands EF connections it opened and configured once
/// (<see cref="SqliteConnections"/>), so the query fails with "no such function: ef_sum" (checked).
/// Summing <c>CAST(value AS REAL)</c> instead would be floating point. Counts are still grouped by the
/// database. The projection holds a few small columns per deal; <see cref="MaxRows"/> of them cost a
/// few tens of milliseconds to read, and a report that would need more says so (400) instead of
/// answering slowly or wrongly.
/// </para>
/// </summary>
public static class Reports
{
    public const int MaxRows = 50_000;

    /// <summary>A calendar date in ISO 8601 (yyyy-MM-dd); null when absent.</summary>
    public static DateOnly? Date(ValidationErrors errors, string field, string? text) => QueryValues.Date(text, field, errors);

    /// <summary>An optional inclusive date range as UTC times: [from 00:00, the day after to 00:00).</summary>
    public static (DateTime? From, DateTime? Until) Range(ValidationErrors errors, string? fromText, string? toText)
    {
        var from = Date(errors, "from", fromText);
        var to = Date(errors, "to", toText);
        if (from is not null && to is not null && to < from)
        {
            errors.Add("to", "Must not be before from.");
        }

        return (from?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), to?.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
    }

    /// <summary>Reads at most <see cref="MaxRows"/> rows; null (with an error on <paramref name="field"/>) if there are more.</summary>
    public static async Task<List<T>?> BoundedAsync<T>(IQueryable<T> query, ValidationErrors errors, string field, CancellationToken cancellationToken)
    {
        var rows = await query.Take(MaxRows + 1).ToListAsync(cancellationToken);
        if (rows.Count > MaxRows)
        {
            errors.Add(field, $"The report would read more than {MaxRows} deals; narrow it (from/to, ownerId, pipelineId).");
            return null;
        }

        return rows;
    }

    /// <summary>value × probability %, exact (decimal), rounded to cents once the sum is done.</summary>
    public static decimal Weighted(decimal value, int probability) => value * probability / 100m;

    public static decimal Cents(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);

    /// <summary>won / (won + lost), to four places; null when nothing closed.</summary>
    public static decimal? Rate(int part, int whole) => whole == 0 ? null : Math.Round((decimal)part / whole, 4, MidpointRounding.AwayFromZero);

    /// <summary>The currency most deals use (ties: alphabetical), for reports that show one currency at a time.</summary>
    public static string? MostCommon(IEnumerable<CurrencyCount> currencies) =>
        currencies.OrderByDescending(c => c.Deals).ThenBy(c => c.Currency, StringComparer.Ordinal).FirstOrDefault()?.Currency;

    public static async Task<Dictionary<Guid, string>> UserNamesAsync(AidaDb db, IEnumerable<Guid?> ids, CancellationToken cancellationToken)
    {
        var wanted = ids.OfType<Guid>().Distinct().ToList();
        return wanted.Count == 0
            ? []
            : await db.Set<User>().IgnoreQueryFilters().Where(u => wanted.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
    }
}

public sealed record CurrencyCount(string Currency, int Deals);
