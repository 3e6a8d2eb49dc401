using System.Net.Mail;
using System.Text.RegularExpressions;

namespace Aida.Features.Interactions.Communications;

/// <summary>Reading the parts of RFC 5322 headers a CRM needs: message ids and addresses.</summary>
public static partial class MessageHeaders
{
    /// <summary>The ids in a Message-ID, In-Reply-To or References value, without angle brackets, in order.</summary>
    public static IReadOnlyList<string> MessageIds(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return [];
        }

        var bracketed = BracketedId().Matches(value).Select(m => m.Groups[1].Value.Trim()).Where(v => v.Length > 0).ToList();
        return bracketed.Count > 0
            ? bracketed
            : value.Split((char[])[' ', '\t', '\r', '\n', ','], StringSplitOptions.RemoveEmptyEntries);
    }

    public static string? MessageId(string? value) => MessageIds(value) is { Count: > 0 } ids ? ids[0] : null;

    /// <summary>The addresses in a header like "Ann Lee &lt;ann@example.com&gt;, bob@example.com", lower-cased; null when one is not an address.</summary>
    public static IReadOnlyList<string>? Addresses(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return [];
        }

        try
        {
            var list = new MailAddressCollection { value };
            return list.Select(a => a.Address.ToLowerInvariant()).Distinct().ToList();
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Senders that are machines, not people (WF-IT-002 exclusions: "System notifications (noreply@)").</summary>
    public static bool IsAutomatedSender(string address)
    {
        var local = address.Split('@')[0].ToLowerInvariant().Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).Replace(".", "", StringComparison.Ordinal);
        return local is "noreply" or "donotreply" or "mailerdaemon" or "postmaster" or "bounce" or "bounces" or "notifications" or "notification"
            || local.StartsWith("noreply", StringComparison.Ordinal);
    }

    public static string? Domain(string address)
    {
        var at = address.LastIndexOf('@');
        return at > 0 && at < address.Length - 1 ? address[(at + 1)..].ToLowerInvariant() : null;
    }

    /// <summary>
    /// A Date header as mail software writes it (RFC 5322 3.3): "Tue, 1 Dec 2026 10:30:00 +0100", often with a
    /// trailing comment such as "(CET)", the day name and the seconds optional, or an obsolete zone name
    /// (GMT, UT, EST…; unknown names count as UTC, as 4.3 says). Null when it is not such a date.
    /// DateTimeOffset.TryParse alone reads none of the "+0100" or commented forms, which are the common ones.
    /// </summary>
    public static DateTimeOffset? Date(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var text = Whitespace().Replace(Comment().Replace(value, " "), " ").Trim();
        if (text.IndexOf(',', StringComparison.Ordinal) is var comma and >= 0)
        {
            text = text[(comma + 1)..].Trim();
        }

        var zoneAt = text.LastIndexOf(' ');
        if (zoneAt < 0)
        {
            return null;
        }

        var zone = text[(zoneAt + 1)..];
        TimeSpan offset;
        if (NumericZone().Match(zone) is { Success: true } numeric)
        {
            var hours = int.Parse(numeric.Groups[2].Value, CultureInfo.InvariantCulture);
            var minutes = int.Parse(numeric.Groups[3].Value, CultureInfo.InvariantCulture);
            if (hours > 14 || minutes > 59)
            {
                return null;
            }

            offset = new TimeSpan(hours, minutes, 0) * (numeric.Groups[1].Value == "-" ? -1 : 1);
        }
        else if (zone.All(char.IsAsciiLetter))
        {
            offset = TimeSpan.FromHours(zone.ToUpperInvariant() switch
            {
                "EDT" => -4,
                "EST" or "CDT" => -5,
                "CST" or "MDT" => -6,
                "MST" or "PDT" => -7,
                "PST" => -8,
                _ => 0,
            });
        }
        else
        {
            return null;
        }

        return DateTime.TryParseExact(text[..zoneAt], DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var local)
            ? new DateTimeOffset(local, offset)
            : null;
    }

    private static readonly string[] DateFormats = ["d MMM yyyy H:mm:ss", "d MMM yyyy H:mm", "d MMM yy H:mm:ss", "d MMM yy H:mm"];

    [GeneratedRegex(@"<([^<>]+)>", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex BracketedId();

    [GeneratedRegex(@"\([^()]*\)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Comment();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"^([+-])(\d{2})(\d{2})$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex NumericZone();
}
