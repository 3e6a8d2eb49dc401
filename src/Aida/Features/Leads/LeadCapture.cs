using Aida.Features.Customers;
using Aida.Features.Customers.Contacts;
using Aida.Features.Interactions;
using Aida.Features.Leads.Scoring;

namespace Aida.Features.Leads;

/// <summary>How a capture ended: a new lead, a repeat of an open lead, or a person who is already a contact.</summary>
public enum CaptureOutcome
{
    Created,
    AttachedToLead,
    AttachedToContact,
}

/// <summary>What <see cref="LeadCapture.CaptureAsync"/> did; <see cref="Lead"/> is the new or the existing lead (null for a contact).</summary>
public sealed record CaptureResult(CaptureOutcome Outcome, Lead? Lead, Guid? ContactId, Guid? CustomerId, Guid? InteractionId);

/// <summary>
/// The one way a capture is stored, for the API and web forms alike (issue 7: "a capture whose email or
/// phone matches an existing lead or contact attaches to it instead of duplicating"). An open lead (active, or unresponsive: it wrote back) with
/// the same normalised email — else the same phone key — absorbs the capture: blank fields are filled
/// (what is known is never overwritten), the capture is recorded as the lead's inbound touch, and it is
/// scored again. Failing that, a contact with that email or phone gets the capture as an inbound
/// interaction of its customer, and no lead is made. Matches are looked for across every record,
/// whoever is capturing (a web form has no reach at all), each with one index probe
/// (ix_leads_email / ix_leads_phone, ix_contacts_email_normalized / ix_contacts_phone_key).
/// The caller owns the transaction and saves.
/// </summary>
public static class LeadCapture
{
    /// <summary>
    /// Stores <paramref name="candidate"/> (validated, not yet added) or attaches it to its match.
    /// <paramref name="formName"/> names the web form it came through; null for the API.
    /// </summary>
    public static async Task<CaptureResult> CaptureAsync(AidaDb db, Lead candidate, string? formName, CancellationToken cancellationToken)
    {
        // Two captures of one new address (or phone) at once must not both find "no match" and both insert.
        // SQLite already has one writer at a time; PostgreSQL locks each key the capture could match by, in
        // order, so captures of different people still run side by side.
        foreach (var key in new[] { candidate.EmailNormalized is { } e ? "email:" + e : null, candidate.PhoneKey is { } p ? "phone:" + p : null }
                     .OfType<string>().Order(StringComparer.Ordinal))
        {
            await db.LockAsync(LockName.LeadCapture, key, cancellationToken);
        }

        var now = db.Clock.UtcNow();

        var existing = await FindOpenLeadAsync(db, candidate.EmailNormalized, candidate.PhoneKey, cancellationToken);
        if (existing is not null)
        {
            FillBlanks(existing, candidate);
            existing.CaptureCount++;
            existing.LastCapturedAt = now;
            // The lead wrote back: an inbound touch, which resets its follow-up count, reactivates it if it
            // had gone quiet, and rescores it (LeadTouches).
            await LeadTouches.RecordAsync(db, existing, new LeadInteraction
            {
                InteractionType = InteractionType.Other,
                Direction = Direction.Inbound,
                Subject = Truncate(formName is null ? "Captured again via API" : $"Web form: {formName}", LeadInteraction.SubjectMaxLength),
                Description = candidate.Needs,
                OccurredAt = now,
                CreatedBy = ActorOrNull(db),
            }, cancellationToken);
            db.Publish("lead.captured", LeadMapping.Subject(existing), () => new { lead = existing.ToResponse(), duplicateOf = (Guid?)existing.Id });
            return new CaptureResult(CaptureOutcome.AttachedToLead, existing, null, null, null);
        }

        var contact = await FindContactAsync(db, candidate.EmailNormalized, candidate.PhoneKey, cancellationToken);
        if (contact is { } match)
        {
            var interaction = new Interaction
            {
                CustomerId = match.CustomerId,
                ContactId = match.Id,
                InteractionType = InteractionType.Other,
                Direction = Direction.Inbound,
                Subject = Truncate(formName is null ? "Lead capture" : $"Web form: {formName}", Interaction.SubjectMaxLength),
                Description = candidate.Needs,
                OccurredAt = now,
                Source = InteractionSource.Api,
            };
            LogInteraction.Add(db, interaction);
            db.Publish("lead.captured", $"customers/{match.CustomerId}/contacts/{match.Id}", () => new
            {
                lead = (LeadResponse?)null,
                duplicateOf = (Guid?)null,
                attachedTo = new { contactId = match.Id, customerId = match.CustomerId, interactionId = interaction.Id },
            });
            return new CaptureResult(CaptureOutcome.AttachedToContact, null, match.Id, match.CustomerId, interaction.Id);
        }

        await CreateLead.AddAsync(db, candidate, cancellationToken);
        return new CaptureResult(CaptureOutcome.Created, candidate, null, null, null);
    }

    /// <summary>
    /// Whether the caller may see where the capture went — the lead (new or joined), or the contact it was
    /// logged on — by the same record filters as <c>GET /leads/{id}</c> and the customer's contacts.
    /// </summary>
    public static Task<bool> IsVisibleAsync(AidaDb db, CaptureResult captured, CancellationToken cancellationToken) =>
        captured.Lead is { } lead
            ? db.Set<Lead>().AnyAsync(l => l.Id == lead.Id, cancellationToken)
            : db.Set<Contact>().AnyAsync(c => c.Id == captured.ContactId, cancellationToken);

    /// <summary>The oldest open lead with this email, else with this phone; deleted, converted and lost leads never match.</summary>
    private static async Task<Lead?> FindOpenLeadAsync(AidaDb db, string? email, string? phoneKey, CancellationToken cancellationToken)
    {
        if (email is not null)
        {
            var byEmail = await LeadAccess.All(db).Where(l => l.EmailNormalized == email && (l.Status == LeadStatus.Active || l.Status == LeadStatus.Unresponsive))
                .OrderBy(l => l.CreatedAt).ThenBy(l => l.Id).FirstOrDefaultAsync(cancellationToken);
            if (byEmail is not null)
            {
                return byEmail;
            }
        }

        return phoneKey is null
            ? null
            : await LeadAccess.All(db).Where(l => l.PhoneKey == phoneKey && (l.Status == LeadStatus.Active || l.Status == LeadStatus.Unresponsive))
                .OrderBy(l => l.CreatedAt).ThenBy(l => l.Id).FirstOrDefaultAsync(cancellationToken);
    }

    private sealed record ContactMatch(Guid Id, Guid CustomerId);

    private static async Task<ContactMatch?> FindContactAsync(AidaDb db, string? email, string? phoneKey, CancellationToken cancellationToken)
    {
        if (email is not null)
        {
            var byEmail = await CustomerAccess.AllContacts(db).Where(c => c.EmailNormalized == email)
                .OrderBy(c => c.Id).Select(c => new ContactMatch(c.Id, c.CustomerId)).FirstOrDefaultAsync(cancellationToken);
            if (byEmail is not null)
            {
                return byEmail;
            }
        }

        return phoneKey is null
            ? null
            : await CustomerAccess.AllContacts(db).Where(c => c.PhoneKey == phoneKey)
                .OrderBy(c => c.Id).Select(c => new ContactMatch(c.Id, c.CustomerId)).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>What the repeat capture adds: only what the lead does not know yet (first-touch attribution stays).</summary>
    internal static void FillBlanks(Lead lead, Lead capture)
    {
        lead.FirstName ??= capture.FirstName;
        lead.LastName ??= capture.LastName;
        lead.Email ??= capture.Email;
        lead.Phone ??= capture.Phone;
        lead.Company ??= capture.Company;
        lead.JobTitle ??= capture.JobTitle;
        lead.Country ??= capture.Country;
        lead.SourceDetail ??= capture.SourceDetail;
        lead.UtmSource ??= capture.UtmSource;
        lead.UtmMedium ??= capture.UtmMedium;
        lead.UtmCampaign ??= capture.UtmCampaign;
        lead.UtmTerm ??= capture.UtmTerm;
        lead.UtmContent ??= capture.UtmContent;
        lead.LandingPage ??= capture.LandingPage;
        lead.Referrer ??= capture.Referrer;
        lead.Needs ??= capture.Needs;
        if (lead.BudgetAmount is null && capture.BudgetAmount is not null)
        {
            lead.BudgetAmount = capture.BudgetAmount;
            lead.BudgetCurrency = capture.BudgetCurrency;
        }

        if (lead.Authority == LeadAuthority.Unknown)
        {
            lead.Authority = capture.Authority;
        }

        if (lead.Need == LeadNeed.Unknown)
        {
            lead.Need = capture.Need;
        }

        if (lead.Timeline == PurchaseTimeline.Unknown)
        {
            lead.Timeline = capture.Timeline;
        }
    }

    private static Guid? ActorOrNull(AidaDb db) => db.Operation.ActorId == Platform.Auth.User.SystemId ? null : db.Operation.ActorId;

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
