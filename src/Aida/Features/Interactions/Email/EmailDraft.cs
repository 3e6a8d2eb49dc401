using Aida.Features.Customers;
using Aida.Features.Customers.Contacts;

namespace Aida.Features.Interactions.Email;

/// <summary>What to send and to whom: a contact (or an address of one of a customer's contacts) and a template or text of one's own.</summary>
public sealed record ComposeRequest(
    Guid? ContactId,
    Guid? CustomerId,
    string? To,
    Guid? TemplateId,
    string? Subject,
    string? BodyText,
    string? BodyHtml);

/// <summary>A message rendered for its recipient, not yet queued.</summary>
public sealed record EmailDraft(Customer Customer, Contact Contact, string To, string Subject, string? BodyText, string? BodyHtml, Guid? TemplateId);

/// <summary>
/// Resolves the recipient and renders the message, as the send and preview endpoints and the compose page
/// all do. The recipient is always one of a customer's contacts the actor may see: that is where
/// do_not_contact and a bounced address are recorded, and where the message is logged. Text given in the
/// request wins over the template's; either may use placeholders.
/// </summary>
public static class EmailCompose
{
    public static async Task<Result<EmailDraft>> DraftAsync(AidaDb db, ComposeRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        Contact? contact = null;
        if (request.ContactId is { } contactId)
        {
            contact = await db.Set<Contact>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == contactId, cancellationToken);
            if (contact is null)
            {
                errors.Add("contactId", "No contact with this id exists, or it is not yours to see.");
            }
            else if (request.CustomerId is { } customerId && customerId != contact.CustomerId)
            {
                errors.Add("customerId", "The contact belongs to another customer.");
            }
        }
        else if (request.CustomerId is { } customerId)
        {
            var address = errors.Email("to", request.To);
            if (address is null && !errors.Has("to"))
            {
                errors.Add("to", "Is required with customerId: the address of one of the customer's contacts (or give contactId).");
            }
            else if (address is not null)
            {
                var normalized = Matching.NormalizeEmail(address);
                contact = await db.Set<Contact>().AsNoTracking()
                    .Where(c => c.CustomerId == customerId && c.EmailNormalized == normalized)
                    .OrderByDescending(c => c.IsPrimary).ThenBy(c => c.Id).FirstOrDefaultAsync(cancellationToken);
                if (contact is null)
                {
                    errors.Add("to", "Is not the address of a contact of this customer (or the customer is not yours to see).");
                }
            }
        }
        else
        {
            errors.Add("contactId", "Is required: the contact to write to (or customerId and to).");
        }

        if (contact is not null && string.IsNullOrWhiteSpace(contact.Email))
        {
            errors.Add("contactId", "The contact has no email address.");
        }

        EmailTemplate? template = null;
        if (request.TemplateId is { } templateId)
        {
            template = await db.Set<EmailTemplate>().AsNoTracking().FirstOrDefaultAsync(t => t.Id == templateId, cancellationToken);
            if (template is null)
            {
                errors.Add("templateId", "No email template with this id exists.");
            }
        }

        var subject = string.IsNullOrWhiteSpace(request.Subject) ? template?.Subject : request.Subject;
        var text = request.BodyText ?? template?.BodyText;
        var html = request.BodyHtml ?? template?.BodyHtml;
        // A template's own text was checked when it was saved; text given here is checked now.
        subject = errors.RequiredText("subject", subject, Communications.Communication.SubjectMaxLength);
        TemplateText.Check(errors, "subject", subject);
        text = EmailTemplateRules.Body(errors, "bodyText", text);
        html = EmailTemplateRules.Body(errors, "bodyHtml", html);
        if (text is null && html is null && !errors.Has("bodyText") && !errors.Has("bodyHtml"))
        {
            errors.Add("bodyText", "Is required (or bodyHtml, or a templateId): the message needs a body.");
        }

        if (errors.Any || contact is null)
        {
            return errors.ToFailure();
        }

        var customer = await db.Set<Customer>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == contact.CustomerId, cancellationToken);
        if (customer is null)
        {
            return new Failure.Invalid("contactId", "The contact's customer is not yours to see.");
        }

        var sender = await db.Set<User>().AsNoTracking().Where(u => u.Id == db.Operation.ActorId)
            .Select(u => new { u.DisplayName, u.Email }).FirstOrDefaultAsync(cancellationToken);
        var values = TemplateText.Values(customer.DisplayName, contact, sender?.DisplayName ?? db.Operation.ActorName, sender?.Email ?? "");
        return Result.Ok(new EmailDraft(
            customer,
            contact,
            contact.Email!,
            OneLine(TemplateText.Render(subject!, values, html: false)),
            text is null ? null : TemplateText.Render(text, values, html: false),
            html is null ? null : TemplateText.Render(html, values, html: true),
            template?.Id));
    }

    /// <summary>Why the contact may not be written to now, or null: asked at queue time and again just before sending.</summary>
    public static string? Refusal(Contact contact, string to)
    {
        if (contact.DoNotContact)
        {
            return "The contact asked not to be contacted (doNotContact).";
        }

        return contact.EmailBouncedAt is not null && contact.EmailNormalized == Matching.NormalizeEmail(to)
            ? "The contact's address bounced; correct the address before writing again (emailBouncedAt)."
            : null;
    }

    // A header cannot hold a line break: a value with one would end the Subject line.
    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
}
