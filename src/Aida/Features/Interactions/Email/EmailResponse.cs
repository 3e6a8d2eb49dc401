using Aida.Features.Interactions.Communications;

namespace Aida.Features.Interactions.Email;

/// <summary>A message Aida sends, and where its delivery stands. <see cref="Id"/> is its communication's id.</summary>
public sealed record EmailResponse(
    Guid Id,
    EmailStatus Status,
    string? StatusReason,
    Guid? CustomerId,
    Guid? ContactId,
    Guid? InteractionId,
    string From,
    string To,
    string? Subject,
    string? BodyText,
    string? BodyHtml,
    string? MessageId,
    int Attempts,
    DateTime? NextAttemptAt,
    DateTime QueuedAt,
    DateTime? SentAt,
    Guid? QueuedBy);

public static class EmailMapping
{
    public const string DeliveryOff = "Email delivery is off on this server: no SMTP host is configured (Email:Smtp:Host). The message waits in the queue.";

    public static EmailResponse ToEmailResponse(this Communication c, bool deliveryOn) => new(
        c.Id,
        c.DeliveryStatus ?? EmailStatus.Sent,
        Reason(c, deliveryOn),
        c.CustomerId,
        c.ContactId,
        c.InteractionId,
        c.FromAddress,
        c.To is [var to, ..] ? to : "",
        c.Subject,
        c.BodyText,
        c.BodyHtml,
        c.MessageId,
        c.DeliveryAttempts,
        c.DeliveryStatus == EmailStatus.Queued ? c.NextAttemptAt : null,
        c.CreatedAt,
        c.DeliveryStatus is EmailStatus.Sent or EmailStatus.Bounced ? c.SentAt : null,
        c.QueuedBy);

    /// <summary>What a person needs to know about the status: the server's refusal, the wait, or that delivery is off.</summary>
    public static string? Reason(Communication c, bool deliveryOn) => c.DeliveryStatus switch
    {
        EmailStatus.Queued when !deliveryOn => DeliveryOff,
        EmailStatus.Queued when c.DeliveryError is { } error => "Will retry: " + error,
        EmailStatus.Uncertain => c.DeliveryError ?? "The sender stopped while talking to the SMTP server: the message may or may not have been accepted. Resend it if the recipient did not get it.",
        _ => c.DeliveryError,
    };

    public static string Location(Guid id) => $"/api/v1/emails/{id}";

    public static object ToEvent(this Communication c) => new
    {
        email = new { c.Id, c.CustomerId, c.ContactId, c.InteractionId, c.MessageId, status = c.DeliveryStatus, attempts = c.DeliveryAttempts, reason = c.DeliveryError },
    };
}
