namespace Aida.Platform.Events.Webhooks;

/// <summary>
/// Where an administrator wants events sent (issue 19 item 1): a URL, the event types (wildcards such as
/// <c>lead.*</c> and <c>*</c>), an optional filter, the secret that signs each delivery, and its owner —
/// the user who created it, whose access decides which events it receives.
/// </summary>
public sealed class WebhookSubscription : TrackedEntity
{
    public const int UrlMaxLength = 2000;
    public const int DescriptionMaxLength = 500;
    public const int FilterSubjectMaxLength = 200;
    public const int FilterFieldMaxLength = 200;
    public const int FilterEqualsMaxLength = 500;
    public const int ReasonMaxLength = 500;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Url { get; set; } = "";

    public string? Description { get; set; }

    /// <summary>JSON array of patterns: an exact type, "area.*", or "*".</summary>
    public string EventTypes { get; set; } = "[]";

    /// <summary>Only events whose subject is this or lies under it ("leads", "customers/{id}").</summary>
    public string? FilterSubject { get; set; }

    /// <summary>Only events whose data has <see cref="FilterEquals"/> at this dotted path ("lead.status").</summary>
    public string? FilterField { get; set; }

    public string? FilterEquals { get; set; }

    /// <summary>The signing secret, "whsec_" + base64. Shown once; never audited.</summary>
    public string Secret { get; set; } = "";

    /// <summary>The secret before the last rotation: deliveries carry its signature too until it expires, so receivers can switch over.</summary>
    public string? PreviousSecret { get; set; }

    public DateTime? PreviousSecretExpiresAt { get; set; }

    public bool IsActive { get; set; } = true;

    public Guid OwnerId { get; set; }

    /// <summary>The feed position up to which events became deliveries (moved by the deliverer with a conditional update, not audited).</summary>
    public string FeedCursor { get; set; } = "";

    /// <summary>The next delivery's place in this subscription's queue.</summary>
    public long NextOrdinal { get; set; }

    /// <summary>Since when every attempt failed (null after a success): a day of it disables the subscription.</summary>
    public DateTime? FailingSince { get; set; }

    public DateTime? DisabledAt { get; set; }

    /// <summary>Why the deliverer switched it off, for the settings screen.</summary>
    public string? DisabledReason { get; set; }

    public IReadOnlyList<string> EventTypeList
    {
        get => JsonSerializer.Deserialize<List<string>>(EventTypes, Json) ?? [];
        set => EventTypes = JsonSerializer.Serialize(value, Json);
    }
}

public sealed class WebhookSubscriptionConfiguration : IEntityTypeConfiguration<WebhookSubscription>
{
    public void Configure(EntityTypeBuilder<WebhookSubscription> builder)
    {
        builder.ToTable("webhook_subscriptions");
        builder.HasKey(s => s.Id);
        builder.HasQueryFilter(s => s.DeletedAt == null);
        builder.HasOne<User>().WithMany().HasForeignKey(s => s.OwnerId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(s => s.Url).HasMaxLength(WebhookSubscription.UrlMaxLength);
        builder.Property(s => s.Description).HasMaxLength(WebhookSubscription.DescriptionMaxLength);
        builder.Property(s => s.EventTypes).IsJson();
        builder.Property(s => s.FilterSubject).HasMaxLength(WebhookSubscription.FilterSubjectMaxLength);
        builder.Property(s => s.FilterField).HasMaxLength(WebhookSubscription.FilterFieldMaxLength);
        builder.Property(s => s.FilterEquals).HasMaxLength(WebhookSubscription.FilterEqualsMaxLength);
        builder.Property(s => s.DisabledReason).HasMaxLength(WebhookSubscription.ReasonMaxLength);
        // Secrets never reach the audit log; the delivery state changes with every batch and is not news.
        builder.Property(s => s.Secret).NotAudited();
        builder.Property(s => s.PreviousSecret).NotAudited();
        builder.Property(s => s.PreviousSecretExpiresAt).NotAudited();
        builder.Property(s => s.FeedCursor).NotAudited();
        builder.Property(s => s.NextOrdinal).NotAudited();
        builder.Property(s => s.FailingSince).NotAudited();
        builder.Property(s => s.Version).IsConcurrencyToken();
        builder.Ignore(s => s.IsDeleted);
        builder.Ignore(s => s.EventTypeList);
    }
}
