using Aida.Features.Interactions.Email;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Aida.Features.Interactions.Notifications;

/// <summary>
/// Queues and sends <see cref="NotificationEmail"/>s: a separate small path through the "email.send" job rather
/// than the customer email queue, because that queue is communications on a customer's timeline, checked against
/// a contact's do-not-contact and bounce state, which a message to a user about their own work has none of.
/// The same promises hold: a message is committed 'sending' before the SMTP conversation and 'sent' after it;
/// a transient failure is retried on Email:RetrySchedule; one left 'sending' by a stopped node fails rather than
/// going twice (a notification is not worth a duplicate; the notification itself is still in the app).
/// </summary>
public sealed class NotificationMailer(IServiceScopeFactory scopes, IOptions<NotificationOptions> options, ILogger<NotificationMailer> logger)
{
    /// <summary>Stands for <see cref="NotificationOptions.BaseUrl"/> in a stored body; filled in when the message is built.</summary>
    public const string LinkPlaceholder = "{{aida.url}}";

    private const int Batch = 50;

    /// <summary>A message to a user, queued now; the caller adds it to its transaction.</summary>
    public static NotificationEmail Compose(AidaDb db, Guid userId, string address, string subject, string bodyText)
    {
        var now = db.Clock.UtcNow();
        return new NotificationEmail
        {
            UserId = userId,
            ToAddress = address.ToLowerInvariant(),
            Subject = Notification.FitTitle(subject),
            BodyText = bodyText,
            MessageId = $"{Guid.CreateVersion7():N}@aida.notifications",
            Status = NotificationEmailStatus.Queued,
            NextAttemptAt = now,
            CreatedAt = now,
        };
    }

    /// <summary>Sends the due messages through the send job's SMTP connection; returns how many it settled.</summary>
    public async Task<int> SendDueAsync(SmtpDelivery smtp, EmailOptions settings, CancellationToken cancellationToken)
    {
        var items = await FailAbandonedAsync(settings, cancellationToken);
        List<Guid> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = System(scope);
            var now = db.Clock.UtcNow();
            due = await db.Set<NotificationEmail>().IgnoreQueryFilters().AsNoTracking()
                .Where(e => e.Status == NotificationEmailStatus.Queued && e.NextAttemptAt <= now)
                .OrderBy(e => e.NextAttemptAt).ThenBy(e => e.Id).Select(e => e.Id).Take(Batch).ToListAsync(cancellationToken);
        }

        foreach (var id in due)
        {
            if (await SendOneAsync(id, smtp, settings, cancellationToken))
            {
                items++;
            }
        }

        return items;
    }

    private async Task<bool> SendOneAsync(Guid id, SmtpDelivery smtp, EmailOptions settings, CancellationToken cancellationToken)
    {
        MimeMessage mime;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = System(scope);
            await using var transaction = await db.BeginWriteAsync(cancellationToken);
            var now = db.Clock.UtcNow();
            // Claimed with a conditional update: of two runs that overlap (a lapsed lease), one sends it.
            var claimed = await db.Set<NotificationEmail>().IgnoreQueryFilters()
                .Where(e => e.Id == id && e.Status == NotificationEmailStatus.Queued && e.NextAttemptAt <= now)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, NotificationEmailStatus.Sending)
                    .SetProperty(e => e.SendingStartedAt, now).SetProperty(e => e.Attempts, e => e.Attempts + 1), cancellationToken);
            if (claimed == 0)
            {
                return false;
            }

            var message = await db.Set<NotificationEmail>().IgnoreQueryFilters().AsNoTracking().FirstAsync(e => e.Id == id, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            mime = Build(message, settings.From!);
        }

        var attempt = await smtp.SendAsync(mime, cancellationToken);
        if (attempt.Result != AttemptResult.Accepted)
        {
            logger.LogInformation("Notification email {NotificationEmailId} not delivered on this attempt: {Result}", id, attempt.Result);
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
        var message = await db.Set<NotificationEmail>().IgnoreQueryFilters().FirstOrDefaultAsync(e => e.Id == id && e.Status == NotificationEmailStatus.Sending, cancellationToken);
        if (message is null)
        {
            return;
        }

        var now = db.Clock.UtcNow();
        var retryAt = attempt.Result == AttemptResult.Transient ? settings.RetryAt(message.Attempts, now) : null;
        switch (attempt.Result)
        {
            case AttemptResult.Accepted:
                message.Status = NotificationEmailStatus.Sent;
                message.SentAt = now;
                message.NextAttemptAt = null;
                message.Error = null;
                break;
            case AttemptResult.Transient when retryAt is not null:
                message.Status = NotificationEmailStatus.Queued;
                message.NextAttemptAt = retryAt;
                message.Error = Fit(attempt.Reason);
                break;
            default:
                // Refused for good, out of retries, or maybe accepted (the connection dropped after the recipient
                // was accepted): never sent again by itself.
                message.Status = NotificationEmailStatus.Failed;
                message.NextAttemptAt = null;
                message.Error = Fit(attempt.Reason);
                break;
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task<int> FailAbandonedAsync(EmailOptions settings, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = System(scope);
        var before = db.Clock.UtcNow() - settings.SendingTimeout;
        return await db.Set<NotificationEmail>().IgnoreQueryFilters()
            .Where(e => e.Status == NotificationEmailStatus.Sending && e.SendingStartedAt < before)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, NotificationEmailStatus.Failed)
                .SetProperty(e => e.Error, "Aida stopped while handing the message to the SMTP server; it is not sent again."), cancellationToken);
    }

    private MimeMessage Build(NotificationEmail message, string from)
    {
        var baseUrl = options.Value.BaseUrl?.TrimEnd('/') ?? "";
        var mime = new MimeMessage
        {
            Subject = message.Subject,
            MessageId = message.MessageId,
            Date = new DateTimeOffset(DateTime.SpecifyKind(message.CreatedAt, DateTimeKind.Utc)),
        };
        mime.From.Add(MailboxAddress.Parse(from));
        mime.To.Add(MailboxAddress.Parse(message.ToAddress));
        // Automated: auto-responders stay quiet (RFC 3834).
        mime.Headers.Add("Auto-Submitted", "auto-generated");
        mime.Body = new TextPart("plain") { Text = message.BodyText.Replace(LinkPlaceholder, baseUrl, StringComparison.Ordinal) };
        return mime;
    }

    private static string? Fit(string? reason) =>
        reason is { Length: > NotificationEmail.ErrorMaxLength } ? reason[..(NotificationEmail.ErrorMaxLength - 1)] + "…" : reason;

    private static AidaDb System(AsyncServiceScope scope)
    {
        scope.ServiceProvider.GetRequiredService<OperationContext>().BecomeSystem();
        return scope.ServiceProvider.GetRequiredService<AidaDb>();
    }
}
