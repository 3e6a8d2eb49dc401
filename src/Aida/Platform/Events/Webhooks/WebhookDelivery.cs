namespace Aida.Platform.Events.Webhooks;

public enum WebhookDeliveryStatus
{
    /// <summary>Waiting to be sent, or to be retried at <see cref="WebhookDelivery.NextAttemptAt"/>.</summary>
    Pending,

    /// <summary>The receiver answered 2xx.</summary>
    Delivered,

    /// <summary>Retried for the whole retry window without success (dead-lettered); can be replayed.</summary>
    Dead,
}

/// <summary>
/// One event on its way to one subscription, and the log of sending it. Rows are written in the feed's
/// commit order and numbered per subscription (<see cref="Ordinal"/>); a subscription's queue is sent
/// strictly in that order. The payload is fixed when the row is written, so every attempt sends, and
/// signs, the same bytes.
/// </summary>
public sealed class WebhookDelivery
{
    public const int ExcerptMaxBytes = 4096;
    public const int ErrorMaxLength = 500;

    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid SubscriptionId { get; init; }

    public long Ordinal { get; set; }

    /// <summary>The event's id: the <c>webhook-id</c> header, the same on every attempt and replay, so receivers can drop repeats.</summary>
    public Guid EventId { get; init; }

    public required string EventType { get; init; }

    /// <summary>The request body: the event envelope as JSON.</summary>
    public required string Payload { get; init; }

    public WebhookDeliveryStatus Status { get; set; }

    public int Attempts { get; set; }

    public DateTime NextAttemptAt { get; set; }

    /// <summary>When it was first tried: the retry window (Webhooks:RetryFor) runs from here.</summary>
    public DateTime? FirstAttemptAt { get; set; }

    public DateTime? LastAttemptAt { get; set; }

    public DateTime? DeliveredAt { get; set; }

    public int? ResponseStatus { get; set; }

    public int? LatencyMs { get; set; }

    /// <summary>The first few kilobytes of the last response's body.</summary>
    public string? ResponseExcerpt { get; set; }

    /// <summary>Why the last attempt failed when no response explains it (time-out, refused address, connection).</summary>
    public string? Error { get; set; }

    /// <summary>The delivery this one sends again (replay), if any.</summary>
    public Guid? ReplayOf { get; init; }

    public DateTime CreatedAt { get; init; }
}

public sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("webhook_deliveries");
        builder.HasKey(d => d.Id);
        builder.HasOne<WebhookSubscription>().WithMany().HasForeignKey(d => d.SubscriptionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<WebhookDelivery>().WithMany().HasForeignKey(d => d.ReplayOf).OnDelete(DeleteBehavior.Restrict);
        builder.Property(d => d.EventType).HasMaxLength(100);
        builder.Property(d => d.Error).HasMaxLength(WebhookDelivery.ErrorMaxLength);
    }
}
