using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;

namespace Aida.Platform.Auth;

/// <summary>
/// Authentication (cookies for the web UI, bearer API tokens for /api), permission policies, and the
/// rule that nothing is public unless it says so: the fallback policy requires a signed-in user.
/// </summary>
public static class AuthModule
{
    public static IServiceCollection AddAuth(this IServiceCollection services, Hosting.AidaSettings settings)
    {
        // Session cookies and antiforgery tokens are protected with keys kept in the data directory, so
        // people stay signed in across restarts (several nodes need this directory shared).
        services.AddDataProtection()
            .SetApplicationName("aida")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(Path.GetFullPath(settings.DataDirectory), "keys")));
        services.AddAuthentication(CookieSessions.Scheme)
            .AddCookie(CookieSessions.Scheme, CookieSessions.Configure)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthentication>(ApiTokenAuthentication.SchemeName, null);
        services.AddSingleton<IAuthorizationPolicyProvider, PermissionPolicyProvider>();
        services.AddAuthorization(o => o.FallbackPolicy = new AuthorizationPolicyBuilder(CookieSessions.Scheme, ApiTokenAuthentication.SchemeName)
            .RequireAuthenticatedUser()
            .Build());
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "aida.antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
        services.AddRazorComponents();
        return services;
    }

    public static WebApplication UseAuth(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapAuth(this WebApplication app)
    {
        app.MapAuthPages();
        app.MapProfilePages();
        app.MapUsers();
        return app;
    }
}
