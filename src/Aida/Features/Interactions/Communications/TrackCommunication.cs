using Aida.Features.Customers.Contacts;

namespace Aida.Features.Interactions.Communications;

public enum TrackingEvent
{
    Opened,
    Clicked,
    Bounced,
}

public enum BounceType
{
    Hard,
    Soft,
}

/// <summary>
/// Open, click and bounce reports for a sent message, from the mail integration (Communication AC-2,
/// AC-3). The first open and first click are kept (a click implies an open); a bounce marks the message
/// and its interaction (outcome "bounced"), and a hard bounce marks the contact's address undeliverable
/// (<see cref="Contact.EmailBouncedAt"/>) until someone changes it. Reports may repeat or arrive late:
/// each is applied once and an older time never replaces a newer fact.
/// </summary>
public static class TrackCommunication
{
    public sealed record Request(TrackingEvent? Event, DateTimeOffset? OccurredAt, BounceType? BounceType);

    public static async Task<Results<Ok<CommunicationResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, [FromBody] Request request, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(id, request, db, cancellationToken)).ToOk(response);

    public static async Task<Result<CommunicationResponse>> RunAsync(Guid id, Request request, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request.Event is null)
        {
            errors.Add("event", "Is required: opened, clicked or bounced.");
        }

        var now = db.Clock.UtcNow();
        var at = InteractionRules.OccurredAt(errors, "occurredAt", request.OccurredAt, now) ?? now;
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var message = await db.Set<Communication>().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (message is null)
        {
            return new Failure.NotFound("communication");
        }

        if (message.Direction != Direction.Outbound)
        {
            return new Failure.Conflict("event", "Only messages the organisation sent are tracked.");
        }

        switch (request.Event)
        {
            case TrackingEvent.Opened:
                message.OpenedAt = Earliest(message.OpenedAt, at);
                break;
            case TrackingEvent.Clicked:
                message.ClickedAt = Earliest(message.ClickedAt, at);
                message.OpenedAt = Earliest(message.OpenedAt, at);
                break;
            default:
                await BounceAsync(db, message, request.BounceType ?? BounceType.Hard, at, cancellationToken);
                break;
        }

        db.PublishChanges(message, "communication.tracked", CommunicationMapping.Subject(message), changes => new { communication = message.ToEvent(), changes });

        // The message may be unchanged while what it reports still changes something else: a hard bounce
        // after a soft one leaves the message bounced as it was, but marks the contact's address.
        if (db.ChangeTracker.HasChanges())
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return Result.Ok(message.ToResponse());
    }

    /// <summary>Records a bounce (also the send job's, when the SMTP server refuses the recipient).</summary>
    internal static async Task BounceAsync(AidaDb db, Communication message, BounceType type, DateTime at, CancellationToken cancellationToken)
    {
        message.Bounced = true;
        if (type == BounceType.Hard && message.DeliveryStatus is EmailStatus.Sent or EmailStatus.Uncertain)
        {
            // A bounce reported after the SMTP server accepted the message: the message did not arrive after all.
            message.DeliveryStatus = EmailStatus.Bounced;
        }

        if (message.InteractionId is { } interactionId
            && await db.Set<Interaction>().FirstOrDefaultAsync(i => i.Id == interactionId, cancellationToken) is { } interaction
            && interaction.Outcome != InteractionOutcome.Bounced)
        {
            interaction.Outcome = InteractionOutcome.Bounced;
            db.Publish("interaction.updated", InteractionMapping.Subject(interaction), () => new { interaction = interaction.ToResponse(), changes = new[] { "outcome" } });
        }

        // A soft bounce (full mailbox, greylisting) says nothing lasting about the address.
        if (type == BounceType.Hard && message.ContactId is { } contactId
            && await db.Set<Contact>().FirstOrDefaultAsync(c => c.Id == contactId, cancellationToken) is { } contact
            && message.To.Any(to => Customers.Matching.NormalizeEmail(to) == contact.EmailNormalized)
            && (contact.EmailBouncedAt is null || contact.EmailBouncedAt < at))
        {
            contact.EmailBouncedAt = at;
            db.Publish("contact.updated", ContactMapping.Subject(contact), () => new { contact = contact.ToResponse(), changes = new[] { "emailBouncedAt" } });
        }
    }

    private static DateTime Earliest(DateTime? current, DateTime reported) => current is { } c && c <= reported ? c : reported;
}
