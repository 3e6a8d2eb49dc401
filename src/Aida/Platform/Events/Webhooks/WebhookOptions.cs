namespace Aida.Platform.Events.Webhooks;

/// <summary>Settings of section <c>Webhooks</c> (README, "Webhooks").</summary>
public sealed class WebhookOptions
{
    /// <summary>
    /// Allow URLs whose host is (or resolves to) a loopback, private, link-local, unspecified or multicast
    /// address. Off by default: a webhook must not become a way to reach the server's own network (SSRF).
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>How long one attempt may take, connecting and answering together.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a delivery is retried before it is dead-lettered.</summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The wait after the first failure; it doubles with each further failure (with jitter), up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan FirstBackoff { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A subscription whose every attempt failed for this long is switched off and its owner notified.</summary>
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long the previous secret still signs deliveries after a rotation.</summary>
    public TimeSpan PreviousSecretGrace { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How many subscriptions are sent to at once.</summary>
    public int Concurrency { get; set; } = 16;

    /// <summary>
    /// How many deliveries of one subscription may be on their way at once. 1 (the default) sends each subscription
    /// in strict commit order, one receiver round trip per event. With more, a record's events (one subject, such as
    /// customers/{id}) still go one after another in commit order and nothing is started after a failure, but events
    /// of different records may arrive in another order: raise it when a receiver must keep up with a busy server.
    /// </summary>
    public int InFlight { get; set; } = 1;

    /// <summary>Events read from the feed per subscription per transaction, and deliveries sent per subscription per run.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>How often the deliverer looks for work when no commit woke it (other nodes' events, retries coming due).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
