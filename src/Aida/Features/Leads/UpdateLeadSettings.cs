namespace Aida.Features.Leads;

// Top-level, not nested in UpdateLeadSettings: its name is the API's schema id.
public sealed record LeadSettingsRequest(int? QualificationThreshold, int? MaxFollowUps);

/// <summary><c>PATCH /api/v1/lead-settings</c> (admin.settings, If-Match): a value left out is kept.</summary>
public static class UpdateLeadSettings
{
    public static async Task<Results<Ok<LeadSettingsResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        [FromBody] LeadSettingsRequest request,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        AidaDb db,
        HttpResponse response,
        CancellationToken cancellationToken) =>
        (await RunAsync(request, ifMatch, db, cancellationToken)).ToOk(response);

    public static async Task<Result<LeadSettingsResponse>> RunAsync(LeadSettingsRequest request, string? ifMatch, AidaDb db, CancellationToken cancellationToken)
    {
        // The header is judged before the values, so a request wrong in both is told about If-Match; ChangeAsync parses it again.
        if (IfMatch.Parse(ifMatch) is not { IsValid: true })
        {
            return Failure.Invalid.IfMatch();
        }

        var errors = new ValidationErrors();
        if (request.QualificationThreshold is < 1 or > 100)
        {
            errors.Add("qualificationThreshold", "Must be between 1 and 100.");
        }

        if (request.MaxFollowUps is < 1 or > 50)
        {
            errors.Add("maxFollowUps", "Must be between 1 and 50.");
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        return await db.ChangeAsync(db.Set<LeadSettings>().Where(s => s.Id == LeadSettings.SingletonId), ifMatch, "lead settings", settings =>
        {
            settings.QualificationThreshold = request.QualificationThreshold ?? settings.QualificationThreshold;
            settings.MaxFollowUps = request.MaxFollowUps ?? settings.MaxFollowUps;
            return Task.FromResult<Failure?>(null);
        }, settings => settings.ToResponse(), cancellationToken);
    }
}
