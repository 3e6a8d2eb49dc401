namespace Aida.Features.Interactions.Notifications;

/// <summary>The <c>Notifications</c> section: where links in notification emails point, and when the daily digest goes out.</summary>
public sealed class NotificationOptions
{
    /// <summary>
    /// Aida's address as users reach it, e.g. "https://crm.example.com": links in notification emails start with it.
    /// Without it a link is shown as its path ("/leads/…").
    /// </summary>
    public string? BaseUrl { get; set; }

    /// <summary>The hour of the day, in each user's own time zone, from which their daily digest is sent (0–23).</summary>
    public int DigestHour { get; set; } = 7;

    /// <summary>How often the digest job looks for users whose digest is due.</summary>
    public TimeSpan DigestInterval { get; set; } = TimeSpan.FromMinutes(15);
}
