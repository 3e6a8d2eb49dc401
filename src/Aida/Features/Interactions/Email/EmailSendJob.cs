using Aida.Features.Customers;
using Aida.Features.Interactions.Communications;
using Aida.Platform.Jobs;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Aida.Features.Interactions.Email;

/// <summary>
/// Works the email queue (issue 19 item 4). For each due message: checks the contact again (do_not_contact,
/// a bounced address), holds the per-domain rate, then commits 'sending' before talking to the SMTP server
/// and 'sent' after it accepted; a transient failure is retried on the schedule, a 5xx refusal fails the
/// message with the server's reason (a refused recipient marks the contact's address bounced). A message still
/// 'sending' long after its attempt began was being handed over when its node stopped: it becomes 'uncertain'
/// and is never re-sent without a person (POST /emails/{id}/resend), so nothing the server accepted goes twice.
/// </summary>
public sealed class EmailSendJob(
    IServiceScopeFactory scopes, TimeProvider clock, IOptions<EmailOptions> options, Notifications.NotificationMailer notificationMail, ILogger<EmailSendJob> logger)
    : IScheduledJob
{
    public const string JobName = "email.send";
    private const int Batch = 50;
    private static readonly TimeSpan RateWindow = TimeSpan.FromMinutes(1);

    public string Name => JobName;

    public string Description => "Sends queued emails (to customers, and users' notification emails and digests) through the SMTP server, retries transient failures, and records failures and bounces on the timeline.";

    public TimeSpan Interval => options.Value.Interval;

    public async Task<JobOutcome> RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var items = await MarkAbandonedAsync(settings, cancellationToken);
        if (!settings.DeliveryOn)
        {
            // Delivery is off: the queue waits, and the API and timeline say so.
            return new JobOutcome(items);
        }

        List<Guid> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = System(scope);
            var now = clock.UtcNow();
            due = await db.Set<Communication>().AsNoTracking()
                .Where(c => c.DeliveryStatus == EmailStatus.Queued && c.NextAttemptAt <= now)
                .OrderBy(c => c.NextAttemptAt).ThenBy(c => c.Id).Select(c => c.Id).Take(Batch).ToListAsync(cancellationToken);
        }

        await using var smtp = new SmtpDelivery(settings.Smtp);
        foreach (var id in due)
        {
            if (await SendOneAsync(id, smtp, settings, cancellationToken))
            {
                items++;
            }
        }

        // Then the emails to users about their own notifications (the email channel and the daily digest).
        items += await notificationMail.SendDueAsync(smtp, settings, cancellationToken);
        return new JobOutcome(items, MoreDue: due.Count == Batch);
    }

    private async Task<bool> SendOneAsync(Guid id, SmtpDelivery smtp, EmailOptions settings, CancellationToken cancellationToken)
    {
        MimeMessage mime;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = System(scope);
            await using var transaction = await db.BeginWriteAsync(cancellationToken);
            var now = db.Clock.UtcNow();
            var message = await db.Set<Communication>().FirstOrDefaultAsync(
                c => c.Id == id && c.DeliveryStatus == EmailStatus.Queued && c.NextAttemptAt <= now, cancellationToken);
            if (message is null)
            {
                return false;
            }

            var to = message.To is [var first, ..] ? first : "";
            var contact = message.ContactId is { } contactId
                ? await CustomerAccess.AllContacts(db).FirstOrDefaultAsync(c => c.Id == contactId, cancellationToken)
                : null;
            // Checked again at send: the contact may have opted out, or the address bounced, since the message was queued.
            var refusal = contact is null ? "The contact was deleted before the message was sent." : EmailCompose.Refusal(contact, to);
            if (refusal is not null)
            {
                Settle(db, message, EmailStatus.Failed, refusal, "email.failed");
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return true;
            }

            var windowStart = now - RateWindow;
            var recent = await db.Set<Communication>().AsNoTracking()
                .Where(c => c.RecipientDomain == message.RecipientDomain && c.SendingStartedAt > windowStart)
                .OrderByDescending(c => c.SendingStartedAt).Select(c => c.SendingStartedAt!.Value)
                .Take(settings.PerDomainPerMinute).ToListAsync(cancellationToken);
            if (recent.Count >= settings.PerDomainPerMinute)
            {
                // Due again when the oldest of the last minute's attempts leaves the window. Not a change anyone
                // made: no version bump, no audit entry.
                var again = recent[^1] + RateWindow;
                await db.Set<Communication>().Where(c => c.Id == id)
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.NextAttemptAt, again), cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return false;
            }

            message.DeliveryStatus = EmailStatus.Sending;
            message.SendingStartedAt = now;
            message.DeliveryAttempts++;
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another run took it (a lease that lapsed under a slow node): that run sends it.
                return false;
            }

            mime = Build(message, settings.From!);
        }

        var attempt = await smtp.SendAsync(mime, cancellationToken);
        if (attempt.Result != AttemptResult.Accepted)
        {
            logger.LogInformation("Email {EmailId} not delivered on this attempt: {Result}", id, attempt.Result);
        }

        // Recorded even when Aida is stopping: the server's answer is known now and must not be lost.
        await RecordAsync(id, attempt, settings, CancellationToken.None);
        return true;
    }

    private async Task RecordAsync(Guid id, Attempt attempt, EmailOptions settings, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = System(scope);
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var message = await db.Set<Communication>().FirstOrDefaultAsync(
            c => c.Id == id && (c.DeliveryStatus == EmailStatus.Sending || c.DeliveryStatus == EmailStatus.Uncertain), cancellationToken);
        if (message is null)
        {
            return;
        }

        var now = db.Clock.UtcNow();
        switch (attempt.Result)
        {
            case AttemptResult.Accepted:
                message.SentAt = now;
                Settle(db, message, EmailStatus.Sent, null, "email.sent");
                break;
            case AttemptResult.Transient:
                if (settings.RetryAt(message.DeliveryAttempts, now) is { } retryAt)
                {
                    message.NextAttemptAt = retryAt;
                    Settle(db, message, EmailStatus.Queued, attempt.Reason, "email.retrying");
                }
                else
                {
                    Settle(db, message, EmailStatus.Failed, $"Gave up after {message.DeliveryAttempts} attempts. {attempt.Reason}", "email.failed");
                }

                break;
            case AttemptResult.RecipientRefused:
                Settle(db, message, EmailStatus.Bounced, attempt.Reason, "email.bounced");
                await TrackCommunication.BounceAsync(db, message, BounceType.Hard, now, cancellationToken);
                break;
            case AttemptResult.Permanent:
                Settle(db, message, EmailStatus.Failed, attempt.Reason, "email.failed");
                break;
            default:
                Settle(db, message, EmailStatus.Uncertain, attempt.Reason, "email.uncertain");
                break;
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Messages left 'sending' by a node that stopped mid-conversation become 'uncertain': they wait for a person.</summary>
    private async Task<int> MarkAbandonedAsync(EmailOptions settings, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = System(scope);
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var before = db.Clock.UtcNow() - settings.SendingTimeout;
        var abandoned = await db.Set<Communication>()
            .Where(c => c.DeliveryStatus == EmailStatus.Sending && c.SendingStartedAt < before)
            .OrderBy(c => c.SendingStartedAt).Take(Batch).ToListAsync(cancellationToken);
        foreach (var message in abandoned)
        {
            Settle(db, message, EmailStatus.Uncertain,
                "Aida stopped while handing the message to the SMTP server: it may or may not have been accepted. Resend it if the recipient did not get it.",
                "email.uncertain");
        }

        if (abandoned.Count > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return abandoned.Count;
    }

    private static void Settle(AidaDb db, Communication message, EmailStatus status, string? reason, string eventType)
    {
        message.DeliveryStatus = status;
        message.DeliveryError = reason is { Length: > Communication.DeliveryErrorMaxLength } ? reason[..(Communication.DeliveryErrorMaxLength - 1)] + "…" : reason;
        if (status != EmailStatus.Queued)
        {
            message.NextAttemptAt = null;
        }

        db.Publish(eventType, CommunicationMapping.Subject(message), message.ToEvent);
    }

    /// <summary>The message exactly as every attempt sends it: the same Message-ID and Date each time.</summary>
    public static MimeMessage Build(Communication message, string from)
    {
        var mime = new MimeMessage
        {
            Subject = message.Subject ?? "",
            MessageId = message.MessageId ?? MimeKit.Utils.MimeUtils.GenerateMessageId(),
            Date = new DateTimeOffset(DateTime.SpecifyKind(message.CreatedAt, DateTimeKind.Utc)),
        };
        mime.From.Add(MailboxAddress.Parse(from));
        foreach (var to in message.To)
        {
            mime.To.Add(MailboxAddress.Parse(to));
        }

        mime.Body = new BodyBuilder { TextBody = message.BodyText, HtmlBody = message.BodyHtml }.ToMessageBody();
        return mime;
    }

    private static AidaDb System(AsyncServiceScope scope)
    {
        scope.ServiceProvider.GetRequiredService<OperationContext>().BecomeSystem();
        return scope.ServiceProvider.GetRequiredService<AidaDb>();
    }
}
