using Aida.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Aida.Features.Leads;

/// <summary>
/// The answer to a capture that matched what Aida already knows (200, not 201): the open lead it was
/// added to, or the contact (and customer) it was logged on. <see cref="Lead"/> is shown only when the
/// caller may see that lead; the ids alone say where the capture went.
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

    public static async Task<CaptureAttachedResponse> ForAsync(Aida.Platform.Data.AidaDb db, CaptureResult captured, HttpResponse response, CancellationToken cancellationToken)
    {
        if (captured.Lead is { } lead)
        {
            response.Headers[DuplicateOfHeader] = LeadMapping.Location(lead);
            var visible = await db.Set<Lead>().AnyAsync(l => l.Id == lead.Id, cancellationToken);
            if (visible)
            {
                ETags.Set(response, lead.Version);
            }

            return new CaptureAttachedResponse(captured.Outcome, lead.Id, null, null, null, visible ? lead.ToResponse() : null);
        }

        response.Headers[DuplicateOfHeader] = $"/api/v1/customers/{captured.CustomerId}/contacts/{captured.ContactId}";
        return new CaptureAttachedResponse(captured.Outcome, null, captured.ContactId, captured.CustomerId, captured.InteractionId, null);
    }
}
