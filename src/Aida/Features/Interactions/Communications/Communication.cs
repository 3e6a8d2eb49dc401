using Aida.Features.Customers;
using Aida.Features.Customers.Contacts;

namespace Aida.Features.Interactions.Communications;

public enum CommunicationChannel
{
    Email,
    Sms,
    Chat,
}

/// <summary>Whether a received message was tied to a customer, or waits in the unmatched queue (WF-IT-002 step 4).</summary>
public enum MatchStatus
{
    Matched,
    Unmatched,
}

/// <summary>
/// The content of an email, SMS or chat message (spec 002, interaction_tracking / Communication). A
/// matched message has its customer and an <see cref="Interaction"/>; an unmatched one waits for a person
/// to assign it. Threads are kept by <see cref="ThreadId"/>: the id of the earliest message known to the thread.
/// </summary>
/// <summary>
/// Where a message Aida sends stands: queued (waiting, or waiting to be retried), sending (committed before
/// the SMTP conversation), sent (the server accepted it), failed (refused for good, or given up), bounced (the
/// recipient's address was refused), uncertain (its sender stopped mid-conversation: it may have been accepted).
/// </summary>
public enum EmailStatus
{
    Queued,
    Sending,
    Sent,
    Failed,
    Bounced,
    Uncertain,
}

public sealed class Communication : AuditedEntity
{
    public const int AddressMaxLength = 320;
    public const int SubjectMaxLength = 1000;
    public const int MessageIdMaxLength = 998;
    public const int BodyMaxLength = 1_000_000;
    public const int MaxRecipients = 500;
    public const int DeliveryErrorMaxLength = 1000;

    public Guid? InteractionId { get; set; }

    public Guid? CustomerId { get; set; }

    public Guid? ContactId { get; set; }

    public CommunicationChannel Channel { get; set; }

    public Direction Direction { get; set; }

    public MatchStatus MatchStatus { get; set; }

    public string FromAddress { get; set; } = "";

    /// <summary>JSON array of addresses.</summary>
    public string ToAddresses { get; set; } = "[]";

    public string CcAddresses { get; set; } = "[]";

    public string? Subject { get; set; }

    public string? BodyText { get; set; }

    public string? BodyHtml { get; set; }

    public string? MessageId { get; set; }

    public string? InReplyTo { get; set; }

    public string ThreadId { get; set; } = "";

    public DateTime SentAt { get; set; }

    public DateTime? OpenedAt { get; set; }

    public DateTime? ClickedAt { get; set; }

    public bool Bounced { get; set; }

    /// <summary>Null for a message Aida did not send itself (synced or handed over); else where its delivery stands (Email/EmailQueue).</summary>
    public EmailStatus? DeliveryStatus { get; set; }

    public int DeliveryAttempts { get; set; }

    /// <summary>When a queued message is due to be tried (first or again).</summary>
    public DateTime? NextAttemptAt { get; set; }

    /// <summary>When the last attempt committed 'sending' (the per-domain rate counts these; a stale one is 'uncertain').</summary>
    public DateTime? SendingStartedAt { get; set; }

    /// <summary>Why the last attempt did not deliver: the SMTP server's reply or the connection's failure.</summary>
    public string? DeliveryError { get; set; }

    public string? RecipientDomain { get; set; }

    /// <summary>The user who queued the message (Aida sent it on their behalf).</summary>
    public Guid? QueuedBy { get; set; }

    public IReadOnlyList<string> To
    {
        get => JsonSerializer.Deserialize<string[]>(ToAddresses) ?? [];
        set => ToAddresses = JsonSerializer.Serialize(value);
    }

    public IReadOnlyList<string> Cc
    {
        get => JsonSerializer.Deserialize<string[]>(CcAddresses) ?? [];
        set => CcAddresses = JsonSerializer.Serialize(value);
    }

    public override Guid? AuditCustomerId => CustomerId;
}

/// <summary>One message id a communication names in In-Reply-To or References.</summary>
public sealed class CommunicationReference
{
    public Guid CommunicationId { get; init; }

    public required string MessageId { get; init; }
}

public sealed class CommunicationConfiguration : IEntityTypeConfiguration<Communication>
{
    public void Configure(EntityTypeBuilder<Communication> builder)
    {
        builder.ToTable("communications");
        builder.HasKey(c => c.Id);
        builder.HasOne<Interaction>().WithMany().HasForeignKey(c => c.InteractionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Customer>().WithMany().HasForeignKey(c => c.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Contact>().WithMany().HasForeignKey(c => c.ContactId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(c => c.FromAddress).HasMaxLength(Communication.AddressMaxLength);
        builder.Property(c => c.Subject).HasMaxLength(Communication.SubjectMaxLength);
        builder.Property(c => c.MessageId).HasMaxLength(Communication.MessageIdMaxLength);
        builder.Property(c => c.InReplyTo).HasMaxLength(Communication.MessageIdMaxLength);
        builder.Property(c => c.Version).IsConcurrencyToken();
        // Message bodies are the record itself, not a change to it; the audit trail keeps who, when and where.
        builder.Property(c => c.BodyText).NotAudited();
        builder.Property(c => c.BodyHtml).NotAudited();
        builder.Property(c => c.DeliveryError).HasMaxLength(Communication.DeliveryErrorMaxLength);
        builder.Property(c => c.RecipientDomain).HasMaxLength(Communication.AddressMaxLength);
        builder.HasOne<User>().WithMany().HasForeignKey(c => c.QueuedBy).OnDelete(DeleteBehavior.Restrict);
        builder.Ignore(c => c.To);
        builder.Ignore(c => c.Cc);

        DbErrors.RegisterUnique("ux_communications_message_id", "communications.message_id", "messageId",
            "A message with this Message-ID is already recorded.");
    }
}

public sealed class CommunicationReferenceConfiguration : IEntityTypeConfiguration<CommunicationReference>
{
    public void Configure(EntityTypeBuilder<CommunicationReference> builder)
    {
        builder.ToTable("communication_references");
        builder.HasKey(r => new { r.CommunicationId, r.MessageId });
        builder.HasOne<Communication>().WithMany().HasForeignKey(r => r.CommunicationId).OnDelete(DeleteBehavior.Cascade);
    }
}
