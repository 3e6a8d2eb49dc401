namespace Aida.Features.Interactions.Notifications;

/// <summary>Where a notification reaches its user.</summary>
public enum NotificationChannel
{
    /// <summary>The bell and the notifications page.</summary>
    InApp,

    /// <summary>An email to the user's own address, sent by the "email.send" job.</summary>
    Email,
}

/// <summary>
/// A user's choice for one kind of notification. Stored only for kinds the user changed: a kind without a row
/// has <see cref="Defaults"/>, so a new <see cref="NotificationKind"/> needs no data change and no code here.
/// </summary>
public sealed class NotificationPreference : AuditedEntity
{
    /// <summary>In the app, not by email: what every user had before channels existed.</summary>
    public static readonly (bool InApp, bool Email) Defaults = (true, false);

    public Guid UserId { get; init; }

    public NotificationKind Kind { get; init; }

    public bool InApp { get; set; }

    public bool Email { get; set; }
}

/// <summary>The daily digest switch and when the user's last digest was queued (one a day, see <see cref="NotificationDigestJob"/>).</summary>
public sealed class NotificationDigest : AuditedEntity
{
    public Guid UserId { get; init; }

    public bool Enabled { get; set; }

    /// <summary>Written by the digest job in the transaction that queues the digest; notifications after it go in the next one.</summary>
    public DateTime? LastSentAt { get; set; }
}

public sealed class NotificationPreferenceConfiguration : IEntityTypeConfiguration<NotificationPreference>
{
    public void Configure(EntityTypeBuilder<NotificationPreference> builder)
    {
        builder.ToTable("notification_preferences");
        builder.HasKey(p => p.Id);
        builder.HasOne<User>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(p => new { p.UserId, p.Kind }).IsUnique();
        builder.Property(p => p.Version).IsConcurrencyToken();
    }
}

public sealed class NotificationDigestConfiguration : IEntityTypeConfiguration<NotificationDigest>
{
    public void Configure(EntityTypeBuilder<NotificationDigest> builder)
    {
        builder.ToTable("notification_digests");
        builder.HasKey(d => d.Id);
        builder.HasOne<User>().WithMany().HasForeignKey(d => d.UserId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(d => d.UserId).IsUnique();
        builder.Property(d => d.Version).IsConcurrencyToken();
        // Bookkeeping of the job, not a choice anyone made.
        builder.Property(d => d.LastSentAt).NotAudited();
    }
}
