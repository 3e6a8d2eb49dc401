using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Aida.Platform.Data;
using Aida.Platform.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Aida.Platform.Auth;

/// <summary>
/// <c>Authorization: Bearer aida_…</c> for the API. Every request looks the token up by its hash, so a
/// revoked or expired token, or one whose user was deactivated, stops working on the very next request.
/// Failures are logged with the reason and the token's public prefix, never the token.
/// </summary>
public sealed class ApiTokenAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    TimeProvider clock,
    IProblemDetailsService problems) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    // Runs on every API request: no tracking, and only the columns the checks below read.
    private static readonly CompiledPerModel<Func<AidaDb, string, CancellationToken, Task<TokenAndUser?>>> ByHash = new(() =>
        EF.CompileAsyncQuery((AidaDb db, string hash, CancellationToken _) =>
            (from token in db.Set<ApiToken>().AsNoTracking()
             where token.Hash == hash
             join user in db.Set<User>().AsNoTracking() on token.UserId equals user.Id
             select new TokenAndUser(token.Id, token.Scope, token.ExpiresAt, token.RevokedAt, token.LastUsedAt,
                 user.Id, user.DisplayName, user.Role, user.TeamId, user.IsActive)).FirstOrDefault()));

    /// <summary>
    /// The same lookup as a statement prepared once per SQLite connection: it runs on every API request,
    /// and preparing it anew each time (what EF does) cost more than running it.
    /// </summary>
    private static readonly ConditionalWeakTable<SqliteConnection, SqliteCommand> SqliteLookups = new();

    private const string SqliteLookupSql = """
        SELECT t.id, t.scope, t.expires_at, t.revoked_at, t.last_used_at, u.id, u.display_name, u.role, u.team_id, u.is_active
        FROM api_tokens AS t JOIN users AS u ON u.id = t.user_id
        WHERE t.hash = $hash
        """;

    private static async Task<TokenAndUser?> FindAsync(AidaDb db, string hash, CancellationToken cancellationToken)
    {
        if (db.Provider != DatabaseProvider.Sqlite)
        {
            return await ByHash.For(db)(db, hash, cancellationToken);
        }

        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var command = SqliteLookups.GetValue(connection, c =>
        {
            var created = c.CreateCommand();
            created.CommandText = SqliteLookupSql;
            created.Parameters.Add(new SqliteParameter("$hash", ""));
            return created;
        });
        command.Parameters[0].Value = hash;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new TokenAndUser(
            Guid.Parse(reader.GetString(0)), EnumText<TokenScope>.Parse(reader.GetString(1)),
            Microseconds(reader, 2), Microseconds(reader, 3), Microseconds(reader, 4),
            Guid.Parse(reader.GetString(5)), reader.GetString(6), EnumText<Role>.Parse(reader.GetString(7)),
            reader.GetValue(8) is string team ? Guid.Parse(team) : null, reader.GetBoolean(9));
    }

    /// <summary>Times are stored as microseconds since the Unix epoch (UtcMicroseconds).</summary>
    private static DateTime? Microseconds(SqliteDataReader reader, int ordinal) =>
        reader.GetValue(ordinal) is long value ? new DateTime(DateTime.UnixEpoch.Ticks + (value * 10), DateTimeKind.Utc) : null;

    private sealed record TokenAndUser(
        Guid TokenId, TokenScope Scope, DateTime? ExpiresAt, DateTime? RevokedAt, DateTime? LastUsedAt,
        Guid UserId, string DisplayName, Role Role, Guid? TeamId, bool IsActive);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var plain = header["Bearer ".Length..].Trim();
        var prefix = plain.Length > ApiToken.Marker.Length + 6 ? plain[..(ApiToken.Marker.Length + 6)] : "(malformed)";
        if (!plain.StartsWith(ApiToken.Marker, StringComparison.Ordinal))
        {
            return Fail("not an Aida token", prefix);
        }

        var db = Context.RequestServices.GetRequiredService<AidaDb>();
        var found = await FindAsync(db, ApiToken.HashOf(plain), Context.RequestAborted);
        var now = clock.UtcNow();
        if (found is null)
        {
            return Fail("unknown token", prefix);
        }

        if (found.RevokedAt is not null)
        {
            return Fail("revoked token", prefix);
        }

        if (found.ExpiresAt <= now)
        {
            return Fail("expired token", prefix);
        }

        if (!found.IsActive)
        {
            return Fail("deactivated user", prefix);
        }

        if (found.LastUsedAt is null || now - found.LastUsedAt > LastUsedResolution)
        {
            // Set-based and outside the change tracker: noting a use is not an audited change.
            await using var write = await db.BeginWriteAsync(Context.RequestAborted);
            await db.Set<ApiToken>().Where(t => t.Id == found.TokenId).ExecuteUpdateAsync(t => t.SetProperty(x => x.LastUsedAt, now), Context.RequestAborted);
            await write.CommitAsync(Context.RequestAborted);
        }

        var access = Access.Of(found.Role, found.TeamId, readOnlyToken: found.Scope == TokenScope.Read);
        Context.RequestServices.GetRequiredService<OperationContext>().BecomeUser(found.UserId, found.DisplayName, access, found.TokenId);
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, found.UserId.ToString()),
                new Claim(ClaimTypes.Name, found.DisplayName),
                new Claim(ClaimTypes.Role, EnumText<Role>.ToText(found.Role)),
                new Claim(AidaClaims.TokenId, found.TokenId.ToString()),
                new Claim(AidaClaims.Scope, EnumText<TokenScope>.ToText(found.Scope)),
            ],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails
            {
                Type = ProblemTypes.Unauthorized,
                Title = "Authentication required.",
                Status = StatusCodes.Status401Unauthorized,
                Detail = "Send an API token: Authorization: Bearer aida_…",
            },
        });
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails
            {
                Type = ProblemTypes.Forbidden,
                Title = "Not allowed.",
                Status = StatusCodes.Status403Forbidden,
                Detail = Context.Items[PermissionRequirement.DeniedReason] as string ?? "Your role or token does not allow this.",
            },
        });
    }

    private AuthenticateResult Fail(string reason, string prefix)
    {
        Logger.LogWarning("API token rejected: {Reason} (token {Prefix}…)", reason, prefix);
        return AuthenticateResult.Fail(reason);
    }
}

public static class AidaClaims
{
    public const string TokenId = "aida:token";
    public const string Scope = "aida:scope";
    public const string SecurityStamp = "aida:stamp";
}
