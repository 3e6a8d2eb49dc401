using System.Text.RegularExpressions;

namespace Aida.Features.Interactions.Activities;

/// <summary>
/// Reads when to follow up from the words of an interaction's notes (WF-IT-003 step 2, "detect from
/// notes"): "tomorrow", "today", "next week" (its Monday), "next month", "in 3 days", "in two weeks",
/// "on Friday" / "next Friday" / "Friday" (the next one after today). The first phrase in the text wins.
/// Without one the follow-up is due tomorrow. Dates are the user's calendar days; the caller puts them at
/// <see cref="DefaultTime"/> in the user's zone.
/// </summary>
public static partial class FollowUpDates
{
    public static readonly TimeOnly DefaultTime = new(9, 0);

    public sealed record Detected(DateOnly Date, string Phrase);

    public static Detected Suggest(string? text, DateOnly today) =>
        Detect(text, today) ?? new Detected(today.AddDays(1), "");

    public static Detected? Detect(string? text, DateOnly today)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var match = Phrase().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var phrase = match.Value;
        if (match.Groups["today"].Success)
        {
            return new Detected(today, phrase);
        }

        if (match.Groups["tomorrow"].Success)
        {
            return new Detected(today.AddDays(1), phrase);
        }

        if (match.Groups["nextweek"].Success)
        {
            return new Detected(Next(today, DayOfWeek.Monday), phrase);
        }

        if (match.Groups["nextmonth"].Success)
        {
            return new Detected(today.AddMonths(1), phrase);
        }

        if (match.Groups["count"].Success)
        {
            var count = Number(match.Groups["count"].Value);
            var unit = match.Groups["unit"].Value.ToLowerInvariant();
            return new Detected(unit.StartsWith("week", StringComparison.Ordinal) ? today.AddDays(7 * count) : today.AddDays(count), phrase);
        }

        var day = Enum.Parse<DayOfWeek>(match.Groups["weekday"].Value, ignoreCase: true);
        return new Detected(Next(today, day), phrase);
    }

    /// <summary>The first such weekday after today ("on Friday" said on a Friday means a week from now).</summary>
    private static DateOnly Next(DateOnly today, DayOfWeek day)
    {
        var days = ((int)day - (int)today.DayOfWeek + 7) % 7;
        return today.AddDays(days == 0 ? 7 : days);
    }

    private static int Number(string text) => text.ToLowerInvariant() switch
    {
        "a" or "an" or "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        var digits => Math.Clamp(int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture), 0, 365),
    };

    [GeneratedRegex("""
        \b(?:
          (?<today>today)
        | (?<tomorrow>tomorrow)
        | (?<nextweek>next\s+week)
        | (?<nextmonth>next\s+month)
        | in\s+(?<count>\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?<unit>days?|weeks?)
        | (?:(?:on|next|this)\s+)?(?<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)
        )\b
        """, RegexOptions.IgnoreCase | RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Phrase();
}
