namespace Aida.Features.Interactions.Notifications;

public enum NotificationEmailStatus
{
    Queued,
    Sending,
    Sent,
    Failed,
}

/// <summary>
/// An email to a user about their own notifications: one notification (the email channel) or the daily digest.
/// Not a communication: it is about nobody's customer and belongs on no timeline. Worked by the "email.send"
/// job (<see cref="NotificationMailer"/>) with the same SMTP server, sender and retry schedule.
/// </summary>
public sealed class NotificationEmail
{
    public const int AddressMaxLength = 320;
    public const int SubjectMaxLength = 1000;
    public const int ErrorMaxLength = 1000;

    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid UserId { get; init; }

    public required string ToAddress { get; init; }

    public required string Subject { get; init; }

    public required string BodyText { get; init; }

    /// <summary>Fixed when queued: every attempt sends the same id, so a receiver can tell a repeat.</summary>
    public required string MessageId { get; init; }

    public NotificationEmailStatus Status { get; set; }

    public int Attempts { get; set; }

    public DateTime? NextAttemptAt { get; set; }

    public DateTime? SendingStartedAt { get; set; }

    public string? Error { get; set; }

    public DateTime CreatedAt { get; init; }

    public DateTime? SentAt { get; set; }
}

public sealed class NotificationEmailConfiguration : IEntityTypeConfiguration<NotificationEmail>
{
    public void Configure(EntityTypeBuilder<NotificationEmail> builder)
    {
        builder.ToTable("notification_emails");
        builder.HasKey(e => e.Id);
        builder.HasOne<User>().WithMany().HasForeignKey(e => e.UserId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(e => e.ToAddress).HasMaxLength(NotificationEmail.AddressMaxLength);
        builder.Property(e => e.Subject).HasMaxLength(NotificationEmail.SubjectMaxLength);
        builder.Property(e => e.Error).HasMaxLength(NotificationEmail.ErrorMaxLength);
    }
}
