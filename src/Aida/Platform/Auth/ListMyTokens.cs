namespace Aida.Platform.Auth;

/// <summary>The signed-in user's API tokens, newest first (never their secrets).</summary>
public static class ListMyTokens
{
    public static async Task<Ok<List<TokenResponse>>> Handle(AidaDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok((await db.Set<ApiToken>().AsNoTracking().Where(t => t.UserId == db.Operation.ActorId)
            .OrderByDescending(t => t.CreatedAt).ToListAsync(cancellationToken)).Select(t => t.ToResponse()).ToList());
}
