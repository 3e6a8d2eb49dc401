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

    /// <summary>A lead was assigned to the user, by hand or by a routing rule, by somebody else (Leads).</summary>
    LeadAssigned,

    /// <summary>The follow-up scheduled on one of the user's leads came due (Leads).</summary>
    LeadFollowUpDue,

    /// <summary>One of the user's open deals has had no activity for the stale period (Deals).</summary>
    DealStale,

    /// <summary>A webhook subscription the user owns was disabled after failing for a day (Platform events).</summary>
    WebhookDisabled,
}

/// <summary>An in-app notification for one user (an activity's reminder coming due, AC-3); read or unread.</summary>
public sealed class Notification
{
    public const int TitleMaxLength = 400;

    /// <summary>A title cut to what a notification holds, with an ellipsis where it was cut.</summary>
    public static string FitTitle(string title) =>
        title.Length <= TitleMaxLength ? title : title[..(TitleMaxLength - 1)] + "…";

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
