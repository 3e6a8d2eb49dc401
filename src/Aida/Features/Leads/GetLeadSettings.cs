namespace Aida.Features.Leads;

/// <summary><c>GET /api/v1/lead-settings</c> (admin.settings): the qualification threshold and the follow-up limit.</summary>
public static class GetLeadSettings
{
    public static async Task<Ok<LeadSettingsResponse>> Handle(AidaDb db, HttpResponse response, CancellationToken cancellationToken)
    {
        var settings = await LeadSettings.GetAsync(db, cancellationToken);
        ETags.Set(response, settings.Version);
        return TypedResults.Ok(settings.ToResponse());
    }
}
