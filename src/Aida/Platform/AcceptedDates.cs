namespace Aida.Platform;

/// <summary>
/// The one range of dates Aida accepts anywhere — API bodies, query strings and form fields alike:
/// 1900-01-01 to 2200-12-31. Nothing a CRM records (a birthday, a call, a close date, a contract
/// end) falls outside it, and keeping clear of DateTime's ends means date arithmetic (a period's
/// next month, a day's end, 90 days back) can never overflow into a 500.
/// </summary>
public static class AcceptedDates
{
    public static readonly DateOnly Earliest = new(1900, 1, 1);
    public static readonly DateOnly Latest = new(2200, 12, 31);

    public static readonly string Message = $"Must be between {Earliest:yyyy-MM-dd} and {Latest:yyyy-MM-dd}.";

    private static readonly DateTime Start = Earliest.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
    private static readonly DateTime End = Latest.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    public static bool Contains(DateOnly date) => date >= Earliest && date <= Latest;

    /// <summary>A time counts by its UTC instant (a date-time without a kind is taken as UTC).</summary>
    public static bool Contains(DateTime time)
    {
        var utc = time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : time;
        return utc >= Start && utc < End;
    }

    public static bool Contains(DateTimeOffset time) => Contains(time.UtcDateTime);

    /// <summary>Whether <paramref name="value"/> (boxed from any date or time type) is in range; values of other types are.</summary>
    public static bool Contains(object? value) => value switch
    {
        DateOnly date => Contains(date),
        DateTime time => Contains(time),
        DateTimeOffset time => Contains(time),
        _ => true,
    };
}
