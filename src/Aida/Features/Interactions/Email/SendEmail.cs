using Aida.Features.Interactions.Communications;
using Aida.Platform.Jobs;
using Microsoft.Extensions.Options;

namespace Aida.Features.Interactions.Email;

/// <summary>
/// Queues an email to a customer's contact (issue 19 item 4). In one transaction: the message as an outbound
/// communication in state 'queued' with its Message-ID fixed now (so every attempt sends the same id and a
/// receiver can tell a repeat), and its interaction on the customer's timeline. A contact who asked not to be
/// contacted, or whose address bounced, is refused here (409 naming the field) and checked again just before
/// sending. The send job is woken at once; the answer is 202 with the message's status.
/// </summary>
public static class SendEmail
{
    public static async Task<Results<Accepted<EmailResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        [FromBody] ComposeRequest request, AidaDb db, IOptions<EmailOptions> options, [FromServices] JobTriggers triggers, CancellationToken cancellationToken)
    {
        var result = await RunAsync(request, InteractionSource.Api, db, options.Value, triggers, cancellationToken);
        return result.Failure switch
        {
            null => TypedResults.Accepted(EmailMapping.Location(result.Value!.Id), result.Value),
            Failure.Invalid invalid => invalid.ToValidationProblem(),
            var failure => failure.ToProblem(),
        };
    }

    public static async Task<Result<EmailResponse>> RunAsync(
        ComposeRequest request, InteractionSource source, AidaDb db, EmailOptions options, JobTriggers triggers, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var drafted = await EmailCompose.DraftAsync(db, request, cancellationToken);
        if (!drafted.Succeeded)
        {
            return drafted.Failure;
        }

        var draft = drafted.Value!;
        if (EmailCompose.Refusal(draft.Contact, draft.To) is { } refusal)
        {
            return new Failure.Conflict(draft.Contact.DoNotContact ? "doNotContact" : "emailBouncedAt", refusal);
        }

        var now = db.Clock.UtcNow();
        var from = MimeKit.MailboxAddress.TryParse(options.From ?? "", out var sender) ? sender.Address.ToLowerInvariant() : "aida@localhost";
        var messageId = $"{Guid.CreateVersion7():N}@{MessageHeaders.Domain(from) ?? "localhost"}";
        var message = new Communication
        {
            Channel = CommunicationChannel.Email,
            Direction = Direction.Outbound,
            FromAddress = from,
            To = [draft.To.ToLowerInvariant()],
            Subject = draft.Subject,
            BodyText = draft.BodyText,
            BodyHtml = draft.BodyHtml,
            MessageId = messageId,
            ThreadId = messageId,
            SentAt = now,
            DeliveryStatus = EmailStatus.Queued,
            NextAttemptAt = now,
            RecipientDomain = MessageHeaders.Domain(draft.To),
            QueuedBy = db.Operation.ActorId,
        };
        ReceiveCommunication.Log(db, message, draft.Customer.Id, draft.Contact.Id, source);
        db.Add(message);
        db.Publish("email.queued", CommunicationMapping.Subject(message), message.ToEvent);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        triggers.RunSoon(EmailSendJob.JobName);
        return Result.Ok(message.ToEmailResponse(options.DeliveryOn));
    }
}

public static class PreviewEmail
{
    public sealed record Preview(string To, Guid CustomerId, Guid ContactId, string Subject, string? BodyText, string? BodyHtml, string? Refusal);

    /// <summary>The message as it would be sent, rendered for the chosen contact; nothing is stored.</summary>
    public static async Task<Results<Ok<Preview>, ValidationProblem, ProblemHttpResult>> Handle(
        [FromBody] ComposeRequest request, AidaDb db, CancellationToken cancellationToken) =>
        (await RunAsync(request, db, cancellationToken)).ToOk();

    public static async Task<Result<Preview>> RunAsync(ComposeRequest request, AidaDb db, CancellationToken cancellationToken) =>
        (await EmailCompose.DraftAsync(db, request, cancellationToken)).Map(d =>
            new Preview(d.To, d.Customer.Id, d.Contact.Id, d.Subject, d.BodyText, d.BodyHtml, EmailCompose.Refusal(d.Contact, d.To)));
}

public static class GetEmail
{
    public static async Task<Results<Ok<EmailResponse>, ProblemHttpResult>> Handle(
        Guid id, AidaDb db, IOptions<EmailOptions> options, HttpResponse response, CancellationToken cancellationToken)
    {
        var message = await db.Set<Communication>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == id && c.DeliveryStatus != null, cancellationToken);
        return (message is null ? new Failure.NotFound("email") : Result.Ok(message.ToEmailResponse(options.Value.DeliveryOn))).ToOkOrProblem(response);
    }
}

public static class ListEmails
{
    public sealed record Page(IReadOnlyList<EmailResponse> Items, string? NextCursor);

    /// <summary>Messages Aida sent or is sending, newest first: by customer and status (e.g. status=uncertain, the ones that need a person).</summary>
    public static async Task<Results<Ok<Page>, ValidationProblem>> Handle(
        Guid? customerId, string? status, int? limit, string? cursor, AidaDb db, IOptions<EmailOptions> options, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var take = Paging.Limit(limit, errors);
        var after = Paging.DecodeTimeCursor(cursor, "emails", errors);
        EmailStatus? wanted = null;
        if (status is not null)
        {
            if (EnumText<EmailStatus>.TryParse(status, out var parsed))
            {
                wanted = parsed;
            }
            else
            {
                errors.Add("status", "Must be one of " + string.Join(", ", EnumText<EmailStatus>.AllNames) + ".");
            }
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var query = db.Set<Communication>().AsNoTracking().Where(c => c.DeliveryStatus != null);
        if (customerId is { } customer)
        {
            query = query.Where(c => c.CustomerId == customer);
        }

        if (wanted is { } w)
        {
            query = query.Where(c => c.DeliveryStatus == w);
        }

        if (after is var (time, id))
        {
            query = query.Where(c => c.CreatedAt < time || (c.CreatedAt == time && c.Id.CompareTo(id) < 0));
        }

        var rows = await query.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id).Take(take + 1).ToListAsync(cancellationToken);
        var next = rows.Count > take ? Paging.EncodeTimeCursor("emails", rows[take - 1].CreatedAt, rows[take - 1].Id) : null;
        return TypedResults.Ok(new Page(rows.Take(take).Select(c => c.ToEmailResponse(options.Value.DeliveryOn)).ToList(), next));
    }
}

/// <summary>
/// Puts a failed or uncertain message back in the queue, with the same Message-ID (a receiver that got the
/// first one can tell the repeat). An uncertain message is resent only this way: a person decides, because
/// the SMTP server may already have accepted it.
/// </summary>
public static class ResendEmail
{
    public static async Task<Results<Ok<EmailResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, AidaDb db, IOptions<EmailOptions> options, [FromServices] JobTriggers triggers, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(id, db, options.Value, triggers, cancellationToken)).ToOk(response);

    public static async Task<Result<EmailResponse>> RunAsync(Guid id, AidaDb db, EmailOptions options, JobTriggers triggers, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var message = await db.Set<Communication>().FirstOrDefaultAsync(c => c.Id == id && c.DeliveryStatus != null, cancellationToken);
        if (message is null)
        {
            return new Failure.NotFound("email");
        }

        if (message.DeliveryStatus is not (EmailStatus.Failed or EmailStatus.Uncertain))
        {
            return new Failure.Conflict("status", $"Only a failed or uncertain message can be resent; this one is {EnumText<EmailStatus>.ToText(message.DeliveryStatus!.Value)}.");
        }

        if (message.ContactId is { } contactId
            && await db.Set<Customers.Contacts.Contact>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == contactId, cancellationToken) is { } contact
            && EmailCompose.Refusal(contact, message.To is [var to, ..] ? to : "") is { } refusal)
        {
            return new Failure.Conflict(contact.DoNotContact ? "doNotContact" : "emailBouncedAt", refusal);
        }

        message.DeliveryStatus = EmailStatus.Queued;
        message.DeliveryAttempts = 0;
        message.DeliveryError = null;
        message.NextAttemptAt = db.Clock.UtcNow();
        db.Publish("email.queued", CommunicationMapping.Subject(message), message.ToEvent);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        triggers.RunSoon(EmailSendJob.JobName);
        return Result.Ok(message.ToEmailResponse(options.DeliveryOn), message.Version);
    }
}
