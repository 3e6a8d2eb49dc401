using System.Text.RegularExpressions;

namespace Aida.Features.Interactions.Email;

public enum SmtpSecurity
{
    /// <summary>Plain SMTP: only for a relay on the same machine or a trusted network.</summary>
    None,

    /// <summary>Connect in plain text, then upgrade with STARTTLS (refused if the server does not offer it): port 587.</summary>
    StartTls,

    /// <summary>TLS from the first byte (implicit TLS): port 465.</summary>
    Ssl,
}

public sealed class SmtpOptions
{
    /// <summary>Without a host, delivery is off: messages are queued and shown as waiting, and nothing is sent.</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    public string? User { get; set; }

    /// <summary>Never logged, never shown.</summary>
    public string? Password { get; set; }

    /// <summary>How long one SMTP command may take before the attempt counts as a dropped connection.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>The <c>Email</c> section: the SMTP server, the sender, the per-domain rate and the retry schedule.</summary>
public sealed partial class EmailOptions
{
    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>The From of every message, e.g. "Acme Sales &lt;sales@acme.example&gt;"; required when a host is set.</summary>
    public string? From { get; set; }

    /// <summary>At most this many messages per minute to one recipient domain (receivers throttle or block senders that burst).</summary>
    public int PerDomainPerMinute { get; set; } = 60;

    /// <summary>
    /// The waits before each retry after a transient failure, e.g. "1m, 5m, 15m, 1h, 4h, 12h" (s, m, h, d); when they
    /// run out the message fails with the last reason. A string, because configuration binding appends to an array.
    /// </summary>
    public string RetrySchedule { get; set; } = "1m, 5m, 15m, 1h, 4h, 12h";

    /// <summary>
    /// A message still 'sending' this long after its attempt began belongs to a node that stopped mid-conversation:
    /// it becomes 'uncertain' (never re-sent by itself). Longer than any SMTP conversation can last.
    /// </summary>
    public TimeSpan SendingTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the send job looks at the queue (a message queued on this node wakes it at once).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    public bool DeliveryOn => !string.IsNullOrWhiteSpace(Smtp.Host);

    public IReadOnlyList<TimeSpan> RetryDelays() => ParseSchedule(RetrySchedule) ?? [];

    /// <summary>When a message whose attempt number <paramref name="attempts"/> failed for now is tried again; null once the schedule is spent.</summary>
    public DateTime? RetryAt(int attempts, DateTime now)
    {
        var delays = RetryDelays();
        return attempts >= 1 && attempts <= delays.Count ? now + delays[attempts - 1] : null;
    }

    public static IReadOnlyList<TimeSpan>? ParseSchedule(string? text)
    {
        var delays = new List<TimeSpan>();
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Duration().Match(part) is not { Success: true } match
                || !double.TryParse(match.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            {
                return null;
            }

            delays.Add(match.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "h" => TimeSpan.FromHours(amount),
                _ => TimeSpan.FromDays(amount),
            });
        }

        return delays;
    }

    /// <summary>Start-up checks: a server that cannot send says so before it queues anything.</summary>
    public IEnumerable<string> Problems()
    {
        if (DeliveryOn && (string.IsNullOrWhiteSpace(From) || !MimeKit.MailboxAddress.TryParse(From, out _)))
        {
            yield return "Email:From must be a sender address such as \"Sales <sales@example.com>\" when Email:Smtp:Host is set.";
        }

        if (Smtp.Port is < 1 or > 65535)
        {
            yield return "Email:Smtp:Port must be between 1 and 65535.";
        }

        if (PerDomainPerMinute < 1)
        {
            yield return "Email:PerDomainPerMinute must be at least 1.";
        }

        if (ParseSchedule(RetrySchedule) is null)
        {
            yield return "Email:RetrySchedule must be durations separated by commas, e.g. \"1m, 5m, 1h\" (ms, s, m, h, d).";
        }

        if (SendingTimeout <= Smtp.Timeout)
        {
            yield return "Email:SendingTimeout must be longer than Email:Smtp:Timeout.";
        }
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Duration();
}
