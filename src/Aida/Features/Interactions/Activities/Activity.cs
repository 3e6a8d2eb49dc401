using Aida.Features.Customers;
using Aida.Features.Customers.Contacts;

namespace Aida.Features.Interactions.Activities;

public enum ActivityType
{
    Call,
    Email,
    Meeting,
    Task,
    FollowUp,
    Demo,
}

public enum ActivityPriority
{
    Low,
    Normal,
    High,
    Urgent,
}

public enum ActivityStatus
{
    Pending,
    InProgress,
    Completed,
    Cancelled,
}

/// <summary>A scheduled task or follow-up (spec 002, interaction_tracking / Activity).</summary>
public sealed class Activity : TrackedEntity
{
    public const int SubjectMaxLength = 300;
    public const int DescriptionMaxLength = 20_000;

    public Guid? CustomerId { get; set; }

    public Guid? ContactId { get; set; }

    public ActivityType ActivityType { get; set; }

    public string Subject { get; set; } = "";

    public string? Description { get; set; }

    public DateTime DueDate { get; set; }

    public DateTime? ReminderAt { get; set; }

    /// <summary>When the reminder's notification was made; a reminder fires once (reset when it is moved).</summary>
    public DateTime? ReminderSentAt { get; set; }

    public ActivityPriority Priority { get; set; } = ActivityPriority.Normal;

    public ActivityStatus Status { get; set; } = ActivityStatus.Pending;

    public DateTime? CompletedAt { get; set; }

    public Guid AssignedTo { get; set; }

    public Guid CreatedBy { get; set; }

    /// <summary>The interaction this activity follows up (WF-IT-003), if any.</summary>
    public Guid? SourceInteractionId { get; set; }

    /// <summary>The interaction logged when this activity was completed (AC-2).</summary>
    public Guid? ResultInteractionId { get; set; }

    public bool IsOpen => Status is ActivityStatus.Pending or ActivityStatus.InProgress;

    public bool IsOverdue(DateTime now) => IsOpen && DueDate < now;

    public override Guid? AuditCustomerId => CustomerId;
}

public sealed class ActivityConfiguration : IEntityTypeConfiguration<Activity>
{
    public void Configure(EntityTypeBuilder<Activity> builder)
    {
        builder.ToTable("activities");
        builder.HasKey(a => a.Id);
        builder.HasOne<Customer>().WithMany().HasForeignKey(a => a.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Contact>().WithMany().HasForeignKey(a => a.ContactId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<User>().WithMany().HasForeignKey(a => a.AssignedTo).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Interaction>().WithMany().HasForeignKey(a => a.SourceInteractionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Interaction>().WithMany().HasForeignKey(a => a.ResultInteractionId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(a => a.Subject).HasMaxLength(Activity.SubjectMaxLength);
        builder.Property(a => a.Version).IsConcurrencyToken();
        builder.Property(a => a.ReminderSentAt).NotAudited();
        builder.Ignore(a => a.IsDeleted);
        builder.Ignore(a => a.IsOpen);
    }
}
