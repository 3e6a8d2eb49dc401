namespace Aida.Platform.Events.Nats;

/// <summary>
/// <c>Events:Nats</c>: where and how the outbox is copied to NATS JetStream (issue 19 item 2). Off while
/// <see cref="Url"/> is unset; everything else has a default a single installation can keep.
/// </summary>
public sealed class NatsOptions
{
    public const string Section = "Events:Nats";

    /// <summary>The NATS server ("nats://host:4222", credentials in the URL if it needs them); unset turns publishing off.</summary>
    public string? Url { get; set; }

    /// <summary>The JetStream stream the events are stored in; created (or brought to these settings) when the publisher connects.</summary>
    public string Stream { get; set; } = "AIDA";

    /// <summary>The first subject token: an event of type "lead.captured" goes to "aida.lead.captured", and the stream takes "aida.>".</summary>
    public string SubjectPrefix { get; set; } = "aida";

    /// <summary>How long the stream keeps an event (its limits retention); consumers that fall further behind miss events.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How long the stream remembers message ids to drop a repeat (Nats-Msg-Id). A publish whose acknowledgement was
    /// lost is sent again at the next run, seconds later; ten minutes also covers an Aida restart in between.
    /// </summary>
    public TimeSpan DuplicateWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Copies of the stream in a JetStream cluster (1 on a single server).</summary>
    public int Replicas { get; set; } = 1;

    /// <summary>How often the publisher looks for events when no commit on this node woke it (other nodes' commits).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Events read from the outbox, published and acknowledged before the position is saved.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>How long to wait for the server to connect or to acknowledge one event before the run fails and is retried.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>An event still unpublished after this long makes <c>/health/ready</c> report "degraded".</summary>
    public TimeSpan LagWarning { get; set; } = TimeSpan.FromSeconds(30);

    public bool Enabled => !string.IsNullOrWhiteSpace(Url);

    /// <summary>The server as it may be shown to an administrator: scheme, host and port, never credentials.</summary>
    public string? Server => Enabled && Uri.TryCreate(Url, UriKind.Absolute, out var uri)
        ? $"{uri.Scheme}://{uri.Host}:{(uri.IsDefaultPort || uri.Port < 0 ? 4222 : uri.Port)}"
        : null;

    public string Subject(string eventType) => $"{SubjectPrefix}.{eventType}";
}
