namespace Aida.Platform.Auth;

/// <summary>Revoke one of your own API tokens (the API and the tokens page); revoking it again changes nothing.</summary>
public static class RevokeMyToken
{
    public static async Task<Results<NoContent, ProblemHttpResult>> Handle(Guid id, AidaDb db, CancellationToken cancellationToken) =>
        (await RunAsync(id, db, cancellationToken)).Failure is { } failure ? failure.ToProblem() : TypedResults.NoContent();

    public static async Task<Result<TokenResponse>> RunAsync(Guid id, AidaDb db, CancellationToken cancellationToken)
    {
        var token = await db.Set<ApiToken>().FirstOrDefaultAsync(t => t.Id == id && t.UserId == db.Operation.ActorId, cancellationToken);
        if (token is null)
        {
            return new Failure.NotFound("token");
        }

        if (token.RevokedAt is null)
        {
            UserAdministration.Revoke(db, token);
            await db.SaveChangesAsync(cancellationToken);
        }

        return Result.Ok(token.ToResponse());
    }
}
