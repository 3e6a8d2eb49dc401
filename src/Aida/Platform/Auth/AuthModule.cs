using Aida.Platform.Auth.Pages;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;

namespace Aida.Platform.Auth;

/// <summary>
/// Authentication (cookies for the web UI, bearer API tokens for /api), permission policies, and the
/// rule that nothing is public unless it says so: the fallback policy requires a signed-in user. Users,
/// teams and the signed-in user's own profile and tokens are managed here too.
/// </summary>
public static class AuthModule
{
    public static IServiceCollection AddAuth(this IServiceCollection services, Hosting.AidaSettings settings)
    {
        // Session cookies and antiforgery tokens are protected with keys kept in the database, so people stay
        // signed in across restarts and on every node of one PostgreSQL (DatabaseKeyRing).
        services.AddDataProtection().SetApplicationName("aida");
        var legacyKeys = Path.Combine(Path.GetFullPath(settings.DataDirectory), "keys");
        services.AddOptions<KeyManagementOptions>().Configure<IServiceScopeFactory, TimeProvider>((o, scopes, clock) =>
            o.XmlRepository = new DatabaseKeyRing(scopes, clock, legacyKeys));
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
        app.UseMiddleware<Ui.PageFormTokens>();
        return app;
    }

    public static WebApplication MapAuth(this WebApplication app)
    {
        var users = app.MapGroup("/api/v1/users").WithTags("Users").WithIdempotency().RequirePermission(Permissions.AdminSettings);
        users.MapGet("/", ListUsers.Handle).WithName("Users_List").WithSummary("List users with their roles and teams.");
        users.MapPost("/", CreateUser.Handle).WithName("Users_Create").WithSummary("Create a user with a role, team and time zone.");
        users.MapGet("/{id:guid}", GetUser.Handle).WithName("Users_Get").WithSummary("Get a user.");
        users.MapPatch("/{id:guid}", UpdateUser.Handle).WithName("Users_Update")
            .WithSummary("Change a user. isActive=false deactivates: sessions and tokens end, their customers go to the team manager or the unassigned pool.");

        var teams = app.MapGroup("/api/v1/teams").WithTags("Users").WithIdempotency().RequirePermission(Permissions.AdminSettings);
        teams.MapGet("/", ListTeams.Handle).WithName("Teams_List").WithSummary("List teams.");
        teams.MapGet("/{id:guid}", GetTeam.Handle).WithName("Teams_Get").WithSummary("Get a team.");
        teams.MapPost("/", CreateTeam.Handle).WithName("Teams_Create").WithSummary("Create a team, optionally with its manager.");
        teams.MapPatch("/{id:guid}", UpdateTeam.Handle).WithName("Teams_Update").WithSummary("Rename a team or change its manager (merge-patch).");

        var me = app.MapGroup("/api/v1/me").WithTags("Me").WithIdempotency().RequirePermission(Permissions.CustomersViewOwn);
        me.MapGet("/", GetMe.Handle).WithName("Me_Get").WithSummary("The signed-in user, their permissions and whether they see all customers.");
        me.MapGet("/tokens", ListMyTokens.Handle).WithName("Me_ListTokens").WithSummary("List your API tokens (never their secrets).");
        me.MapPost("/tokens", CreateMyToken.Handle).WithName("Me_CreateToken")
            .WithSummary("Create an API token for yourself. The response is the only time its secret is shown.");
        me.MapDelete("/tokens/{id:guid}", RevokeMyToken.Handle).WithName("Me_RevokeToken").WithSummary("Revoke one of your API tokens.");

        app.MapAuthPages();
        return app;
    }
}
