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

    [GeneratedRegex(@"<([^<>]+)>", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex BracketedId();
}
