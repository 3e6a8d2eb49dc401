namespace Aida.Platform.Events;

/// <summary>
/// A domain event in the outbox, written in the same transaction as the change it describes.
/// <see cref="Seq"/> orders events for pollers; on PostgreSQL the writing transaction's id orders them
/// too (see <see cref="EventFeed"/>), because sequence numbers are handed out before commit.
/// </summary>
public sealed class OutboxEvent
{
    public long Seq { get; set; }

    public Guid Id { get; init; } = Guid.CreateVersion7();

    public required string Type { get; set; }

    public required string Subject { get; set; }

    public DateTime OccurredAt { get; set; }

    public Guid ActorId { get; set; }

    public string? RequestId { get; set; }

    /// <summary>The customer the event belongs to, so the feed shows it only to those who can see the customer.</summary>
    public Guid? CustomerId { get; set; }

    /// <summary>The note the event is about, so the feed shows it only to those who may read the note (its visibility).</summary>
    public Guid? NoteId { get; set; }

    /// <summary>Who may read it in the feed (<see cref="EventAudiences"/>); unknown kinds are for administrators.</summary>
    public EventAudience Audience { get; set; } = EventAudience.Admins;

    /// <summary>For a token's events, its holder, who may read them as well as administrators.</summary>
    public Guid? UserId { get; set; }

    /// <summary>JSON payload: the resource as the API shows it, plus what changed.</summary>
    public required string Data { get; set; }
}
