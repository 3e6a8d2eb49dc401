using Microsoft.Extensions.Options;

namespace Aida.Platform.Events.Nats;

/// <summary>
/// The NATS publisher as an administrator sees it (<c>GET /api/v1/admin/events/nats</c>, the events
/// settings page, <c>/health/ready</c>): where it publishes, how far it has got, and its lag — the events
/// not yet in the stream and how old the oldest of them is.
/// </summary>
/// <param name="Pending">Events not yet acknowledged by the stream, counted up to <see cref="NatsPublisherStatus.PendingCap"/>.</param>
/// <param name="PendingCapped">True when there are at least that many (the count stopped there).</param>
/// <param name="OldestPendingSeconds">How long the oldest unpublished event has waited; null when none waits.</param>
/// <param name="Stream">The stream as the server reports it, when this node is connected.</param>
public sealed record NatsPublisherStatus(
    bool Enabled,
    string? Server,
    string StreamName,
    string Subjects,
    string? Position,
    long PublishedCount,
    DateTime? LastPublishedAt,
    int Pending,
    bool PendingCapped,
    DateTime? OldestPendingAt,
    double? OldestPendingSeconds,
    string? Error,
    DateTime? ErrorAt,
    NatsStreamState? Stream)
{
    public const int PendingCap = 100_000;

    /// <summary>Whether events wait longer than they should, or the last run failed: degraded, not down (README).</summary>
    public bool Lagging(NatsOptions settings) =>
        Enabled && (Error is not null || OldestPendingSeconds > settings.LagWarning.TotalSeconds);

    public static async Task<NatsPublisherStatus> ReadAsync(
        AidaDb db, NatsOptions settings, TimeProvider clock, NatsPublisher? publisher, CancellationToken cancellationToken)
    {
        var subjects = settings.SubjectPrefix + ".>";
        if (!settings.Enabled)
        {
            return new(false, null, settings.Stream, subjects, null, 0, null, 0, false, null, null, null, null, null);
        }

        var state = await db.Set<EventPublisher>().AsNoTracking().FirstOrDefaultAsync(p => p.Name == NatsPublisher.PublisherName, cancellationToken);
        var position = state is not null && db.Dialect.TryParseFeedPosition(state.Position, out var saved) ? saved : default;
        var (pending, oldest) = await db.Dialect.FeedLagAsync(db, position, PendingCap, cancellationToken);
        var age = oldest is { } at ? Math.Max(0, (clock.UtcNow() - at).TotalSeconds) : (double?)null;
        var stream = publisher is null ? null : await publisher.StreamStateAsync(cancellationToken);
        return new(
            true, settings.Server, settings.Stream, subjects, state?.Position, state?.PublishedCount ?? 0, state?.PublishedAt,
            pending, pending >= PendingCap, oldest, age is null ? null : Math.Round(age.Value, 3), state?.Error, state?.ErrorAt, stream);
    }
}
