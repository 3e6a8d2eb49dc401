namespace Aida.Features.Leads;

/// <summary>
/// The answer to a capture that matched what Aida already knows (200, not 201): the open lead it was
/// added to, or the contact (and customer) it was logged on — only ever one the caller may see; a capture
/// that ended up out of the caller's reach is answered with a <see cref="CaptureReceipt"/> instead.
/// </summary>
public sealed record CaptureAttachedResponse(
    CaptureOutcome Outcome,
    Guid? LeadId,
    Guid? ContactId,
    Guid? CustomerId,
    Guid? InteractionId,
    LeadResponse? Lead)
{
    /// <summary>The header that names the record a duplicate capture was attached to (an API path).</summary>
    public const string DuplicateOfHeader = "Aida-Duplicate-Of";

    public static CaptureAttachedResponse For(CaptureResult captured) =>
        captured.Lead is { } lead
            ? new CaptureAttachedResponse(captured.Outcome, lead.Id, null, null, null, lead.ToResponse())
            : new CaptureAttachedResponse(captured.Outcome, null, captured.ContactId, captured.CustomerId, captured.InteractionId, null);

    /// <summary>The API path of what the capture was attached to, for <see cref="DuplicateOfHeader"/>.</summary>
    public static string DuplicateOf(CaptureResult captured) =>
        captured.Lead is { } lead ? LeadMapping.Location(lead) : $"/api/v1/customers/{captured.CustomerId}/contacts/{captured.ContactId}";
}

/// <summary>
/// The answer (202) to a capture whose result the caller cannot see: a new lead routed out of their reach,
/// or a capture added to another team's lead or logged on another team's contact. It is the same in each
/// case — no id, no location, no header — as a web form answers every submission alike, so a capture
/// cannot be used to learn whether, or to whom, a person is known.
/// </summary>
public sealed record CaptureReceipt(string Status, string Message)
{
    public static readonly CaptureReceipt OutOfReach = new("accepted", "The capture was recorded. It is filed where you cannot see it.");
}
