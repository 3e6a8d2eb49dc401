namespace Aida.Platform.Auth;

/// <summary>Create an API token for yourself. The answer is the only time its secret is shown.</summary>
public static class CreateMyToken
{
    public static async Task<Results<Created<UserEndpoints.CreatedTokenResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        [FromBody] UserEndpoints.CreateTokenRequest request, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(request, db, cancellationToken)).ToCreated(response, created => $"/api/v1/me/tokens/{created.Token.Id}");

    public static async Task<Result<UserEndpoints.CreatedTokenResponse>> RunAsync(
        UserEndpoints.CreateTokenRequest request, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var name = errors.RequiredText("name", request.Name, ApiToken.NameMaxLength);
        if (request.ExpiresInDays is < 1 or > 3650)
        {
            errors.Add("expiresInDays", "Must be between 1 and 3650 days, or left out for a token that does not expire.");
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        var user = await db.Set<User>().FirstOrDefaultAsync(u => u.Id == db.Operation.ActorId, cancellationToken);
        if (user is null)
        {
            return new Failure.NotFound("user");
        }

        var expires = request.ExpiresInDays is { } days ? db.Clock.UtcNow().AddDays(days) : (DateTime?)null;
        var (token, secret) = UserAdministration.AddToken(db, user, name!, request.Scope ?? TokenScope.Write, expires);
        await db.SaveChangesAsync(cancellationToken);
        return Result.Ok(new UserEndpoints.CreatedTokenResponse(token.ToResponse(), secret));
    }
}
