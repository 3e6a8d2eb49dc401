namespace Aida.Platform.Events;

/// <summary>
/// How far a publisher that copies the outbox elsewhere (the NATS JetStream publisher) has got: the feed
/// position of the last event its destination acknowledged. It is written only after the acknowledgements,
/// so a restart or an outage resumes where it stopped and skips nothing. Bookkeeping, not a user's change:
/// no version and no audit entry.
/// </summary>
public sealed class EventPublisher
{
    public required string Name { get; init; }

    /// <summary>The feed cursor in the dialect's text form (<see cref="DatabaseDialect.FormatFeedPosition"/>).</summary>
    public required string Position { get; set; }

    public long PublishedCount { get; set; }

    /// <summary>When the position last moved.</summary>
    public DateTime? PublishedAt { get; set; }

    /// <summary>Why the last run failed (cleared by the next that succeeds): for administrators, never credentials.</summary>
    public string? Error { get; set; }

    public DateTime? ErrorAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}

public sealed class EventPublisherConfiguration : IEntityTypeConfiguration<EventPublisher>
{
    public void Configure(EntityTypeBuilder<EventPublisher> builder)
    {
        builder.ToTable("event_publishers");
        builder.HasKey(p => p.Name);
    }
}
