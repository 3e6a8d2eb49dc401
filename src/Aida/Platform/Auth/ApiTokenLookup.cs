namespace Aida.Platform.Auth;

/// <summary>What <see cref="ApiTokenAuthentication"/> checks of a token and its user.</summary>
public sealed record ApiTokenMatch(
    Guid TokenId, TokenScope Scope, DateTime? ExpiresAt, DateTime? RevokedAt, DateTime? LastUsedAt,
    Guid UserId, string DisplayName, Role Role, Guid? TeamId, bool IsActive);

/// <summary>
/// The token lookup every API request makes, as an EF compiled query: the default of
/// <see cref="DatabaseDialect.FindApiTokenAsync"/>; a dialect may run the same lookup its own way.
/// </summary>
public static class ApiTokenLookup
{
    // Runs on every API request: no tracking, and only the columns the checks read.
    private static readonly CompiledPerModel<Func<AidaDb, string, CancellationToken, Task<ApiTokenMatch?>>> ByHash = new(() =>
        EF.CompileAsyncQuery((AidaDb db, string hash, CancellationToken _) =>
            (from token in db.Set<ApiToken>().AsNoTracking()
             where token.Hash == hash
             join user in db.Set<User>().AsNoTracking() on token.UserId equals user.Id
             select new ApiTokenMatch(token.Id, token.Scope, token.ExpiresAt, token.RevokedAt, token.LastUsedAt,
                 user.Id, user.DisplayName, user.Role, user.TeamId, user.IsActive)).FirstOrDefault()));

    public static Task<ApiTokenMatch?> FindAsync(AidaDb db, string hash, CancellationToken cancellationToken) =>
        ByHash.For(db)(db, hash, cancellationToken);
}
