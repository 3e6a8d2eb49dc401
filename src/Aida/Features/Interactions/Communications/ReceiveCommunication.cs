using Aida.Features.Customers;
using Microsoft.Extensions.Options;

namespace Aida.Features.Interactions.Communications;

public sealed class CommunicationOptions
{
    /// <summary>The organisation's own email domains: a message among them only is internal and not logged; a message from them is outbound.</summary>
    public string[] InternalDomains { get; set; } = [];
}

/// <summary>
/// WF-IT-002 steps 2-4 for a message an integration hands over: dedupe by Message-ID, thread it
/// (In-Reply-To and References, whatever order messages arrive in), then match it — a contact by email
/// address (or phone, for SMS), else a customer by the address's company domain, else the customer of
/// the thread — and log it as an interaction; with no match it waits in the unmatched queue. Messages
/// from machines (noreply@…), among the organisation's own addresses only, or bulk mail carrying
/// List-Unsubscribe are not logged.
/// Matching looks at every customer, but the answer shows only what the caller may see (issue 14): when the
/// stored message is out of the caller's reach — another team's customer, or the unmatched queue for one who
/// does not reach it — the answer is 202 with <see cref="Outcome.Accepted"/> and nothing else, whether it
/// matched or not, and whether it was new or a repeat, so it says neither where the message went nor that
/// its sender is known.
/// </summary>
public static class ReceiveCommunication
{
    public sealed record Request(
        CommunicationChannel? Channel,
        string? MessageId,
        string? InReplyTo,
        IReadOnlyList<string>? References,
        string? From,
        IReadOnlyList<string>? To,
        IReadOnlyList<string>? Cc,
        string? Subject,
        string? BodyText,
        string? BodyHtml,
        DateTimeOffset? SentAt,
        InteractionSource? Source,
        Dictionary<string, string>? Headers);

    public enum Outcome
    {
        Matched,
        Unmatched,
        Duplicate,
        Excluded,

        /// <summary>Stored where it belongs, which is out of the caller's reach: nothing more is said.</summary>
        Accepted,
    }

    /// <summary>The one answer for a message stored out of the caller's reach, new or repeated, matched or not.</summary>
    public static readonly Received OutOfReach = new(Outcome.Accepted, "The message was recorded. It is filed where you cannot see it.", null, null);

    public sealed record Received(Outcome Status, string? Reason, CommunicationResponse? Communication, InteractionResponse? Interaction);

    public static async Task<Results<Created<Received>, Ok<Received>, Accepted<Received>, ValidationProblem, ProblemHttpResult>> Handle(
        [FromBody] Request request, AidaDb db, IOptions<CommunicationOptions> options, CancellationToken cancellationToken)
    {
        var result = await RunAsync(request, db, options.Value, cancellationToken);
        if (!result.Succeeded)
        {
            return result.Failure is Failure.Invalid invalid ? invalid.ToValidationProblem() : result.Failure.ToProblem();
        }

        var received = result.Value;
        return received.Status switch
        {
            Outcome.Matched or Outcome.Unmatched => TypedResults.Created($"/api/v1/communications/{received.Communication!.Id}", received),
            Outcome.Accepted => TypedResults.Accepted((string?)null, received),
            _ => TypedResults.Ok(received),
        };
    }

    public static async Task<Result<Received>> RunAsync(
        Request request, AidaDb db, CommunicationOptions options, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var message = Parse(request, errors, db.Clock.UtcNow());
        if (message is null)
        {
            return errors.ToFailure();
        }

        var internalDomains = options.InternalDomains.Select(d => d.Trim().ToLowerInvariant()).ToHashSet();
        bool IsInternal(string address) => MessageHeaders.Domain(address) is { } domain && internalDomains.Contains(domain);

        if (message.Channel == CommunicationChannel.Email && MessageHeaders.IsAutomatedSender(message.From))
        {
            return Result.Ok(new Received(Outcome.Excluded, "The sender is an automated address (noreply, mailer-daemon, …).", null, null));
        }

        if (Header(request, "List-Unsubscribe") is not null)
        {
            // Newsletters either way: received ones are not conversations, and sent ones are campaigns, not touchpoints.
            return Result.Ok(new Received(Outcome.Excluded, "Bulk mail (it carries List-Unsubscribe) is not a conversation.", null, null));
        }

        var outbound = IsInternal(message.From);
        var counterparts = outbound ? message.To.Concat(message.Cc).Where(a => !IsInternal(a)).ToList() : [message.From];
        if (counterparts.Count == 0)
        {
            return Result.Ok(new Received(Outcome.Excluded, "Every address is the organisation's own: internal mail is not logged.", null, null));
        }

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        if (message.MessageId is { } messageId)
        {
            // Threading and dedupe see every message, whoever can read it; the answer shows only what the caller may see.
            var stored = await db.Set<Communication>().IgnoreQueryFilters().FirstOrDefaultAsync(c => c.MessageId == messageId, cancellationToken);
            if (stored is not null)
            {
                return await db.Set<Communication>().AnyAsync(c => c.Id == stored.Id, cancellationToken)
                    ? Result.Ok(new Received(Outcome.Duplicate, "A message with this Message-ID is already recorded.", stored.ToResponse(), null))
                    : Result.Ok(OutOfReach);
            }
        }

        var communication = new Communication
        {
            Channel = message.Channel,
            Direction = outbound ? Direction.Outbound : Direction.Inbound,
            FromAddress = message.From,
            To = message.To,
            Cc = message.Cc,
            Subject = message.Subject,
            BodyText = message.BodyText,
            BodyHtml = message.BodyHtml,
            MessageId = message.MessageId,
            InReplyTo = message.InReplyTo,
            SentAt = message.SentAt,
        };
        communication.ThreadId = await Threads.JoinAsync(db, communication, message.References, cancellationToken);

        var match = await MatchAsync(db, message.Channel, counterparts, communication.ThreadId, cancellationToken);
        Interaction? interaction = null;
        if (match is { } m)
        {
            interaction = Log(db, communication, m.CustomerId, m.ContactId, request.Source);
        }
        else
        {
            communication.MatchStatus = MatchStatus.Unmatched;
        }

        db.Add(communication);
        foreach (var reference in message.References.Distinct())
        {
            db.Add(new CommunicationReference { CommunicationId = communication.Id, MessageId = reference });
        }

        db.Publish("communication.received", CommunicationMapping.Subject(communication), communication.ToEvent);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        // The same record filter as GET /communications/{id}: its customer in reach, or the unmatched queue for those who reach it.
        if (!await db.Set<Communication>().AnyAsync(c => c.Id == communication.Id, cancellationToken))
        {
            return Result.Ok(OutOfReach);
        }

        var status = interaction is null ? Outcome.Unmatched : Outcome.Matched;
        var reason = interaction is null ? "No contact or customer matches; the message waits in the unmatched queue." : null;
        return Result.Ok(new Received(status, reason, communication.ToResponse(), interaction?.ToResponse()));
    }

    /// <summary>Ties a message to a customer and logs it as an interaction (also used when someone assigns an unmatched one).</summary>
    public static Interaction Log(AidaDb db, Communication communication, Guid customerId, Guid? contactId, InteractionSource? source)
    {
        var interaction = new Interaction
        {
            CustomerId = customerId,
            ContactId = contactId,
            InteractionType = communication.Channel switch
            {
                CommunicationChannel.Sms => InteractionType.Sms,
                CommunicationChannel.Chat => InteractionType.Chat,
                _ => InteractionType.Email,
            },
            Direction = communication.Direction,
            Subject = communication.Subject is { Length: > Interaction.SubjectMaxLength } s ? s[..Interaction.SubjectMaxLength] : communication.Subject,
            Description = communication.BodyText is { Length: > Interaction.DescriptionMaxLength } b ? b[..Interaction.DescriptionMaxLength] : communication.BodyText,
            OccurredAt = communication.SentAt,
            Source = source ?? (communication.Channel == CommunicationChannel.Email ? InteractionSource.EmailSync : InteractionSource.Api),
        };
        LogInteraction.Add(db, interaction);
        communication.CustomerId = customerId;
        communication.ContactId = contactId;
        communication.InteractionId = interaction.Id;
        communication.MatchStatus = MatchStatus.Matched;
        return interaction;
    }

    private sealed record Match(Guid CustomerId, Guid? ContactId);

    private static async Task<Match?> MatchAsync(AidaDb db, CommunicationChannel channel, IReadOnlyList<string> counterparts, string threadId, CancellationToken cancellationToken)
    {
        // Matching looks at every customer: a message belongs to its customer whoever happens to be syncing it.
        foreach (var address in counterparts)
        {
            var contact = channel == CommunicationChannel.Email
                ? await CustomerAccess.AllContacts(db).Where(c => c.EmailNormalized == Matching.NormalizeEmail(address))
                    .OrderByDescending(c => c.IsPrimary).ThenBy(c => c.Id).Select(c => new { c.Id, c.CustomerId }).FirstOrDefaultAsync(cancellationToken)
                : await CustomerAccess.AllContacts(db).Where(c => c.PhoneKey == Matching.PhoneKey(address))
                    .OrderByDescending(c => c.IsPrimary).ThenBy(c => c.Id).Select(c => new { c.Id, c.CustomerId }).FirstOrDefaultAsync(cancellationToken);
            if (contact is not null)
            {
                return new Match(contact.CustomerId, contact.Id);
            }
        }

        if (channel == CommunicationChannel.Email)
        {
            foreach (var domain in counterparts.Select(Matching.CompanyDomain).OfType<string>().Distinct())
            {
                var customerId = await CustomerAccess.AllAccounts(db).Where(a => a.WebsiteDomain == domain).Select(a => (Guid?)a.CustomerId).FirstOrDefaultAsync(cancellationToken)
                    ?? await CustomerAccess.AllContacts(db).Where(c => c.EmailDomain == domain)
                        .GroupBy(c => c.CustomerId).OrderByDescending(g => g.Count()).Select(g => (Guid?)g.Key).FirstOrDefaultAsync(cancellationToken);
                if (customerId is not null)
                {
                    return new Match(customerId.Value, null);
                }
            }
        }

        var threadCustomer = await db.Set<Communication>().IgnoreQueryFilters()
            .Where(c => c.ThreadId == threadId && c.CustomerId != null)
            .OrderBy(c => c.SentAt).Select(c => c.CustomerId).FirstOrDefaultAsync(cancellationToken);
        return threadCustomer is { } threadCustomerId && await CustomerAccess.All(db).AnyAsync(c => c.Id == threadCustomerId, cancellationToken)
            ? new Match(threadCustomerId, null)
            : null;
    }

    private sealed record Message(
        CommunicationChannel Channel,
        string? MessageId,
        string? InReplyTo,
        IReadOnlyList<string> References,
        string From,
        IReadOnlyList<string> To,
        IReadOnlyList<string> Cc,
        string? Subject,
        string? BodyText,
        string? BodyHtml,
        DateTime SentAt);

    private static string? Header(Request request, string name) =>
        request.Headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>Fields given directly win over the same in <c>headers</c> (the raw RFC 5322 headers an integration may pass instead).</summary>
    private static Message? Parse(Request request, ValidationErrors errors, DateTime now)
    {
        var channel = request.Channel ?? CommunicationChannel.Email;
        var email = channel == CommunicationChannel.Email;
        var messageId = request.MessageId is not null ? MessageHeaders.MessageId(request.MessageId) : MessageHeaders.MessageId(Header(request, "Message-ID"));
        var inReplyTo = request.InReplyTo is not null ? MessageHeaders.MessageId(request.InReplyTo) : MessageHeaders.MessageId(Header(request, "In-Reply-To"));
        var references = request.References?.SelectMany(MessageHeaders.MessageIds).ToList()
            ?? MessageHeaders.MessageIds(Header(request, "References")).ToList();
        if (inReplyTo is not null && !references.Contains(inReplyTo))
        {
            references.Add(inReplyTo);
        }

        foreach (var (field, id) in new[] { ("messageId", messageId), ("inReplyTo", inReplyTo) }.Concat(references.Select(r => ("references", (string?)r))))
        {
            if (id is { Length: > Communication.MessageIdMaxLength })
            {
                errors.Add(field, $"A message id must be at most {Communication.MessageIdMaxLength} characters.");
            }
        }

        if (email && messageId is null)
        {
            errors.Add("messageId", "Is required for email (the Message-ID header): it is how a message is deduplicated and threaded.");
        }

        var fromText = request.From ?? Header(request, "From");
        string? from = null;
        if (string.IsNullOrWhiteSpace(fromText))
        {
            errors.Add("from", "Is required.");
        }
        else if (email)
        {
            var parsed = MessageHeaders.Addresses(fromText);
            if (parsed is not { Count: 1 })
            {
                errors.Add("from", "Must be one email address, e.g. \"Ann Lee <ann@example.com>\".");
            }
            else
            {
                from = parsed[0];
            }
        }
        else
        {
            from = errors.RequiredText("from", fromText, Communication.AddressMaxLength);
        }

        var to = Recipients(errors, "to", request.To, Header(request, "To"), email) ?? [];
        var cc = Recipients(errors, "cc", request.Cc, Header(request, "Cc"), email) ?? [];
        if (to.Count == 0 && !errors.Has("to"))
        {
            errors.Add("to", "Needs at least one recipient.");
        }

        var subject = errors.OptionalText("subject", request.Subject ?? Header(request, "Subject"), Communication.SubjectMaxLength);
        var bodyText = Body(errors, "bodyText", request.BodyText);
        var bodyHtml = Body(errors, "bodyHtml", request.BodyHtml);

        DateTime sentAt = now;
        if (request.SentAt is { } sent)
        {
            sentAt = Time.Truncate(sent.UtcDateTime);
        }
        else if (Header(request, "Date") is { } date)
        {
            // The header's own format first (RFC 5322: "Tue, 1 Dec 2026 10:30:00 +0100 (CET)"), then ISO 8601.
            var parsedDate = MessageHeaders.Date(date)
                ?? (DateTimeOffset.TryParse(date, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var iso) ? iso : null);
            if (parsedDate is { } dated)
            {
                sentAt = Time.Truncate(dated.UtcDateTime);
            }
            else
            {
                errors.Add("headers.Date", "Is not a date this server can read; send sentAt (ISO 8601 with an offset) instead.");
            }
        }

        if (sentAt > now + InteractionRules.FutureTolerance)
        {
            errors.Add("sentAt", "Is in the future.");
        }

        return errors.Any
            ? null
            : new Message(channel, messageId, inReplyTo, references, from!, to, cc, subject, bodyText, bodyHtml, sentAt);
    }

    private static IReadOnlyList<string>? Recipients(ValidationErrors errors, string field, IReadOnlyList<string>? given, string? header, bool email)
    {
        var values = given ?? (header is null ? [] : [header]);
        var all = new List<string>();
        foreach (var value in values)
        {
            var parsed = email ? MessageHeaders.Addresses(value) : [value.Trim()];
            if (parsed is null || parsed.Any(a => a.Length is 0 or > Communication.AddressMaxLength))
            {
                errors.Add(field, "Must be addresses like \"Ann Lee <ann@example.com>\" or ann@example.com.");
                return null;
            }

            all.AddRange(parsed);
        }

        if (all.Count > Communication.MaxRecipients)
        {
            errors.Add(field, $"At most {Communication.MaxRecipients} recipients.");
        }

        return all.Distinct().ToList();
    }

    private static string? Body(ValidationErrors errors, string field, string? value)
    {
        if (value is { Length: > Communication.BodyMaxLength })
        {
            errors.Add(field, $"Must be at most {Communication.BodyMaxLength} characters.");
            return null;
        }

        return string.IsNullOrEmpty(value) ? null : value;
    }
}
