using Aida.Features.Interactions;
using Aida.Features.Leads.Scoring;

namespace Aida.Features.Leads;

/// <summary>
/// What a touch does to a lead (the AIDA Connect step, spec 004 "Max follow-ups? → mark as lost").
/// Outbound: the lead was chased — the last contact moves, the follow-up count goes up, the first one
/// marks the lead connected (<c>lead.connected</c>, once), and reaching the configured maximum with no
/// answer makes an active lead unresponsive (<c>lead.unresponsive</c>). Inbound: the lead answered — the
/// count starts again at 0, an unqualified lead is now being qualified, and an unresponsive lead is
/// active again (<c>lead.reactivated</c>): someone who writes back is worth working. A lost lead stays
/// lost (that was a person's decision; reopen it). The score is recalculated, as touches are inputs.
/// </summary>
public static class LeadTouches
{
    /// <summary>Adds <paramref name="touch"/> to the lead and applies its effects; the caller saves (also used by web-form repeat captures, inbound).</summary>
    public static async Task RecordAsync(AidaDb db, Lead lead, LeadInteraction touch, CancellationToken cancellationToken)
    {
        var settings = await LeadSettings.GetAsync(db, cancellationToken);
        touch.LeadId = lead.Id;
        touch.CreatedBy ??= db.Operation.ActorId == User.SystemId ? null : db.Operation.ActorId;
        db.Add(touch);
        if (lead.LastContactAt is null || touch.OccurredAt > lead.LastContactAt)
        {
            lead.LastContactAt = touch.OccurredAt;
        }

        if (touch.Direction == Direction.Outbound)
        {
            lead.FollowUpCount++;
            if (lead.NextFollowUpAt is { } due && due <= touch.OccurredAt.AddDays(1))
            {
                // This touch is the follow-up that was scheduled.
                lead.NextFollowUpAt = null;
            }

            if (lead.ConnectedAt is null)
            {
                lead.ConnectedAt = touch.OccurredAt;
                db.Publish("lead.connected", LeadMapping.Subject(lead), () => new { lead = lead.ToResponse(), interactionId = touch.Id });
            }

            if (lead.Status == LeadStatus.Active && lead.FollowUpCount >= settings.MaxFollowUps)
            {
                lead.Status = LeadStatus.Unresponsive;
                db.Publish("lead.unresponsive", LeadMapping.Subject(lead), () => new { lead = lead.ToResponse(), followUps = lead.FollowUpCount, maxFollowUps = settings.MaxFollowUps });
            }
        }
        else
        {
            lead.FollowUpCount = 0;
            if (lead.QualificationStatus == QualificationStatus.Unqualified)
            {
                lead.QualificationStatus = QualificationStatus.Qualifying;
            }

            if (lead.Status == LeadStatus.Unresponsive)
            {
                lead.Status = LeadStatus.Active;
                db.Publish("lead.reactivated", LeadMapping.Subject(lead), () => new { lead = lead.ToResponse(), interactionId = touch.Id });
            }
        }

        db.Publish("lead.interaction_logged", LeadMapping.Subject(lead), () => new { interaction = touch.ToResponse(), leadId = lead.Id });
        await LeadScoring.ApplyAsync(db, lead, cancellationToken);
    }
}
