namespace Aida.Features.Interactions.Communications;

public sealed record CommunicationResponse(
    Guid Id,
    CommunicationChannel Channel,
    Direction Direction,
    MatchStatus MatchStatus,
    Guid? CustomerId,
    Guid? ContactId,
    Guid? InteractionId,
    string FromAddress,
    IReadOnlyList<string> ToAddresses,
    IReadOnlyList<string> CcAddresses,
    string? Subject,
    string? BodyText,
    string? MessageId,
    string? InReplyTo,
    string ThreadId,
    DateTime SentAt,
    DateTime? OpenedAt,
    DateTime? ClickedAt,
    bool Bounced,
    DateTime CreatedAt);

public static class CommunicationMapping
{
    public static CommunicationResponse ToResponse(this Communication c) => new(
        c.Id, c.Channel, c.Direction, c.MatchStatus, c.CustomerId, c.ContactId, c.InteractionId, c.FromAddress, c.To, c.Cc,
        c.Subject, c.BodyText, c.MessageId, c.InReplyTo, c.ThreadId, c.SentAt, c.OpenedAt, c.ClickedAt, c.Bounced, c.CreatedAt);

    /// <summary>Events name the message, not its content: bodies stay behind record-level access.</summary>
    public static object ToEvent(this Communication c) => new
    {
        communication = new { c.Id, c.Channel, c.Direction, c.MatchStatus, c.CustomerId, c.ContactId, c.InteractionId, c.MessageId, c.ThreadId, c.SentAt },
    };

    public static string Subject(Communication c) => c.CustomerId is { } customerId
        ? $"customers/{customerId}/communications/{c.Id}"
        : $"communications/{c.Id}";
}
