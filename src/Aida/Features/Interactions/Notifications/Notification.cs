using Aida.Features.Interactions.Activities;

namespace Aida.Features.Interactions.Notifications;

public enum NotificationKind
{
    ActivityReminder,

    /// <summary>A customer's health fell below the alert threshold (Scoring).</summary>
    HealthAlert,

    /// <summary>A customer's health fell below the escalation threshold: sent to the owner's team manager (Scoring).</summary>
    HealthEscalation,

    /// <summary>A customer's health rose above the upsell threshold (Scoring).</summary>
    UpsellOpportunity,

    /// <summary>A webhook the user owns failed for a day and was switched off (Platform/Events/Webhooks).</summary>
    WebhookDisabled,
}

/// <summary>An in-app notification for one user (an activity's reminder coming due, AC-3); read or unread.</summary>
public sealed class Notification
{
    public const int TitleMaxLength = 400;

    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid UserId { get; init; }

    public NotificationKind Kind { get; init; }

    public required string Title { get; init; }

    /// <summary>Where the notification leads in the web UI.</summary>
    public string? Link { get; init; }

    public Guid? ActivityId { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime? ReadAt { get; set; }
}

public sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> builder)
    {
        builder.ToTable("notifications");
        builder.HasKey(n => n.Id);
        builder.HasOne<User>().WithMany().HasForeignKey(n => n.UserId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Activity>().WithMany().HasForeignKey(n => n.ActivityId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(n => n.Title).HasMaxLength(Notification.TitleMaxLength);
    }
}
