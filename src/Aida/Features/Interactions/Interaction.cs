using Aida.Features.Customers;
using Aida.Features.Customers.Contacts;

namespace Aida.Features.Interactions;

public enum InteractionType
{
    Email,
    Call,
    Meeting,
    Chat,
    Sms,
    Social,
    InPerson,
    Other,
}

public enum Direction
{
    Inbound,
    Outbound,
}

public enum InteractionOutcome
{
    Successful,
    NoAnswer,
    LeftMessage,
    Bounced,
    FollowUpNeeded,
    Completed,
}

public enum Sentiment
{
    Positive,
    Neutral,
    Negative,
}

public enum InteractionSource
{
    Manual,
    EmailSync,
    PhoneIntegration,
    CalendarSync,
    Api,
}

/// <summary>The records an interaction can be about besides its customer (spec: polymorphic related_entities).</summary>
public enum RelatedRecordType
{
    Opportunity,
    Case,
    WorkOrder,
    Lead,
}

/// <summary>One touchpoint between the organisation and a customer (spec 002, interaction_tracking / Interaction).</summary>
public sealed class Interaction : TrackedEntity
{
    public const int SubjectMaxLength = 500;
    public const int ExternalIdMaxLength = 200;
    public const int DescriptionMaxLength = 100_000;
    public const int MaxDurationMinutes = 7 * 24 * 60;

    /// <summary>Logged more than this long after it happened, an interaction is flagged as backdated (spec edge case).</summary>
    public static readonly TimeSpan BackdatedAfter = TimeSpan.FromDays(30);

    public Guid CustomerId { get; set; }

    public Guid? ContactId { get; set; }

    public InteractionType InteractionType { get; set; }

    public Direction Direction { get; set; }

    public string? Subject { get; set; }

    public string? Description { get; set; }

    public DateTime OccurredAt { get; set; }

    public int? DurationMinutes { get; set; }

    public InteractionOutcome? Outcome { get; set; }

    public Sentiment? Sentiment { get; set; }

    public InteractionSource Source { get; set; }

    /// <summary>The id in the system it was synced from; a second sync of the same id finds this record (AC-2).</summary>
    public string? ExternalId { get; set; }

    public RelatedRecordType? RelatedType { get; set; }

    public Guid? RelatedId { get; set; }

    /// <summary>The activity whose completion logged this interaction (Activity AC-2), if any.</summary>
    public Guid? ActivityId { get; set; }

    public Guid CreatedBy { get; set; }

    public bool IsBackdated => CreatedAt - OccurredAt > BackdatedAfter;

    public override Guid? AuditCustomerId => CustomerId;
}

public sealed class InteractionConfiguration : IEntityTypeConfiguration<Interaction>
{
    public void Configure(EntityTypeBuilder<Interaction> builder)
    {
        builder.ToTable("interactions");
        builder.HasKey(i => i.Id);
        builder.HasOne<Customer>().WithMany().HasForeignKey(i => i.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Contact>().WithMany().HasForeignKey(i => i.ContactId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(i => i.Subject).HasMaxLength(Interaction.SubjectMaxLength);
        builder.Property(i => i.ExternalId).HasMaxLength(Interaction.ExternalIdMaxLength);
        builder.Property(i => i.Version).IsConcurrencyToken();
        builder.Ignore(i => i.IsDeleted);
        builder.Ignore(i => i.IsBackdated);

        DbErrors.RegisterUnique("ux_interactions_external_id", "interactions.external_id", "externalId",
            "An interaction with this external id is already recorded.");
    }
}
