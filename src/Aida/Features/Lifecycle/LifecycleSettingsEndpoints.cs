namespace Aida.Features.Lifecycle;

/// <summary><c>GET /api/v1/lifecycle/settings</c>: the automatic rules' settings, with an ETag for the PATCH.</summary>
public static class GetLifecycleSettings
{
    public static async Task<Ok<LifecycleSettingsResponse>> Handle(AidaDb db, HttpResponse response, CancellationToken cancellationToken)
    {
        var settings = await LifecycleSettings.GetAsync(db, cancellationToken);
        ETags.Set(response, settings.Version);
        return TypedResults.Ok(settings.ToResponse());
    }
}

// Top-level, not nested: its name is the API's schema id.
public sealed record LifecycleSettingsRequest(Optional<int?> ChurnAfterDays);

/// <summary>
/// <c>PATCH /api/v1/lifecycle/settings</c> (admin.settings, merge-patch, If-Match): <c>churnAfterDays</c> from
/// 7 to 3650, or null to turn the inactivity rule off.
/// </summary>
public static class UpdateLifecycleSettings
{
    public static async Task<Results<Ok<LifecycleSettingsResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        [FromBody] LifecycleSettingsRequest request,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        AidaDb db,
        HttpResponse response,
        CancellationToken cancellationToken) =>
        (await RunAsync(request, ifMatch, db, cancellationToken)).ToOk(response);

    public static async Task<Result<LifecycleSettingsResponse>> RunAsync(LifecycleSettingsRequest request, string? ifMatch, AidaDb db, CancellationToken cancellationToken)
    {
        // The header is judged before the values, so a request wrong in both is told about If-Match.
        if (IfMatch.Parse(ifMatch) is not { IsValid: true })
        {
            return Failure.Invalid.IfMatch();
        }

        if (request.ChurnAfterDays is { IsSet: true, Value: < LifecycleSettings.MinChurnAfterDays or > LifecycleSettings.MaxChurnAfterDays })
        {
            return new Failure.Invalid("churnAfterDays",
                $"Must be between {LifecycleSettings.MinChurnAfterDays} and {LifecycleSettings.MaxChurnAfterDays} days, or null to turn the inactivity rule off.");
        }

        return await db.ChangeAsync(db.Set<LifecycleSettings>().Where(s => s.Id == LifecycleSettings.SingletonId), ifMatch, "lifecycle settings", settings =>
        {
            if (request.ChurnAfterDays.IsSet)
            {
                settings.ChurnAfterDays = request.ChurnAfterDays.Value;
            }

            return Task.FromResult<Failure?>(null);
        }, settings => settings.ToResponse(), cancellationToken);
    }
}
