namespace Aida.Platform.Events.Live;

/// <summary>Settings of the live streams (section <c>Events:Live</c>).</summary>
public sealed class LiveOptions
{
    /// <summary>A comment line sent when nothing else was for this long, so proxies and load balancers keep an idle stream open.</summary>
    public int HeartbeatSeconds { get; set; } = 15;

    /// <summary>
    /// How often this node looks for events other nodes committed, while anyone listens. Its own commits
    /// are seen at once. One small query per interval per node, however many streams are open.
    /// </summary>
    public int PollMilliseconds { get; set; } = 1000;

    /// <summary>The <c>retry:</c> hint: how long a disconnected browser waits before it reconnects.</summary>
    public int RetryMilliseconds { get; set; } = 3000;

    /// <summary>
    /// How often a stream checks that its caller may still read: a deactivated user, a revoked token or a
    /// changed role ends or narrows the stream within this time. At most every heartbeat.
    /// </summary>
    public int RecheckSeconds { get; set; } = 60;

    internal TimeSpan Heartbeat => TimeSpan.FromSeconds(Math.Clamp(HeartbeatSeconds, 1, 3600));

    internal TimeSpan Poll => TimeSpan.FromMilliseconds(Math.Clamp(PollMilliseconds, 50, 60_000));

    internal TimeSpan Recheck => TimeSpan.FromSeconds(Math.Clamp(RecheckSeconds, 1, 3600));
}
