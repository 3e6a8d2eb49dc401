using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
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
        var found = await db.Dialect.FindApiTokenAsync(db, ApiToken.HashOf(plain), Context.RequestAborted);
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
