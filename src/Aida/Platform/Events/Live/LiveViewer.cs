using System.Security.Claims;

namespace Aida.Platform.Events.Live;

/// <summary>
/// Who a stream reads for. A request's identity is checked once, when it starts; a stream lasts hours, so
/// it asks again every <see cref="LiveOptions.RecheckSeconds"/>: a deactivated user, a changed password
/// (cookie sessions), a revoked or expired token, or a role without the permission any more ends it, and
/// a changed role or team narrows or widens what it reads from then on.
/// </summary>
public sealed class LiveViewer
{
    private readonly string? _securityStamp;

    private LiveViewer(Guid userId, string name, Access access, Guid? tokenId, string? securityStamp)
    {
        UserId = userId;
        Name = name;
        Access = access;
        TokenId = tokenId;
        _securityStamp = securityStamp;
    }

    public Guid UserId { get; }

    public string Name { get; }

    public Access Access { get; private set; }

    public Guid? TokenId { get; }

    /// <summary>The caller of <paramref name="http"/>, as authentication made it.</summary>
    public static LiveViewer Of(HttpContext http)
    {
        var operation = http.RequestServices.GetRequiredService<OperationContext>();
        return new LiveViewer(operation.ActorId, operation.ActorName, operation.Access, operation.TokenId,
            operation.TokenId is null ? http.User.FindFirstValue(AidaClaims.SecurityStamp) : null);
    }

    /// <summary>Makes <paramref name="operation"/> (a fresh scope's) act as this viewer, with the access last checked.</summary>
    public void ActAs(OperationContext operation) => operation.BecomeUser(UserId, Name, Access, TokenId);

    /// <summary>Reads the user (and token) again; false when the stream must end because the caller may no longer read.</summary>
    public async Task<bool> RecheckAsync(AidaDb db, string permission, CancellationToken cancellationToken)
    {
        var user = await db.Set<User>().IgnoreQueryFilters().AsNoTracking()
            .Where(u => u.Id == UserId).Select(u => new { u.IsActive, u.Role, u.TeamId, u.SecurityStamp })
            .FirstOrDefaultAsync(cancellationToken);
        if (user is not { IsActive: true } || (_securityStamp is not null && user.SecurityStamp != _securityStamp))
        {
            return false;
        }

        var readOnly = false;
        if (TokenId is { } tokenId)
        {
            var now = db.Clock.UtcNow();
            var token = await db.Set<ApiToken>().IgnoreQueryFilters().AsNoTracking()
                .Where(t => t.Id == tokenId).Select(t => new { t.RevokedAt, t.ExpiresAt, t.Scope })
                .FirstOrDefaultAsync(cancellationToken);
            if (token is null || token.RevokedAt is not null || token.ExpiresAt <= now)
            {
                return false;
            }

            readOnly = token.Scope == TokenScope.Read;
        }

        var access = Access.Of(user.Role, user.TeamId, readOnly);
        if (!access.Can(permission))
        {
            return false;
        }

        Access = access;
        return true;
    }
}
