using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Aida.Platform.Auth;

/// <summary>
/// Cookie sign-in for the web UI: HttpOnly, SameSite=Lax, sliding expiry. Each request re-reads the
/// user, so a deactivated user or a changed password (a new security stamp) ends every session at once.
/// </summary>
public static class CookieSessions
{
    public const string Scheme = CookieAuthenticationDefaults.AuthenticationScheme;

    private static readonly CompiledPerModel<Func<AidaDb, Guid, CancellationToken, Task<User?>>> ById = new(() =>
        EF.CompileAsyncQuery((AidaDb db, Guid id, CancellationToken _) => db.Set<User>().FirstOrDefault(u => u.Id == id)));

    public static void Configure(CookieAuthenticationOptions options)
    {
        options.Cookie.Name = "aida.session";
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Lax;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.ExpireTimeSpan = TimeSpan.FromHours(8);
        options.SlidingExpiration = true;
        options.LoginPath = "/signin";
        options.LogoutPath = "/signout";
        options.AccessDeniedPath = "/signin";
        options.Events.OnValidatePrincipal = ValidateAsync;
        // A signed-in user without the permission for a page gets a 403 page, not the sign-in form again.
        options.Events.OnRedirectToAccessDenied = context =>
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        };
        // htmx follows a redirect inside the fragment it asked for; a lapsed session must reload the page.
        options.Events.OnRedirectToLogin = context =>
        {
            if (Ui.Html.IsHtmx(context.Request))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers["HX-Redirect"] = context.RedirectUri;
            }
            else
            {
                context.Response.Redirect(context.RedirectUri);
            }

            return Task.CompletedTask;
        };
    }

    public static async Task SignInAsync(HttpContext http, User user)
    {
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()),
                new Claim(ClaimTypes.Name, user.DisplayName),
                new Claim(AidaClaims.SecurityStamp, user.SecurityStamp),
            ],
            Scheme);
        await http.SignInAsync(Scheme, new ClaimsPrincipal(identity), new AuthenticationProperties { IsPersistent = false });
    }

    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var id = context.Principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        var stamp = context.Principal?.FindFirstValue(AidaClaims.SecurityStamp);
        var db = context.HttpContext.RequestServices.GetRequiredService<AidaDb>();
        var user = Guid.TryParse(id, out var userId) ? await ById.For(db)(db, userId, context.HttpContext.RequestAborted) : null;
        if (user is null || !user.IsActive || user.SecurityStamp != stamp)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
            return;
        }

        var access = Access.Of(user.Role, user.TeamId, readOnlyToken: false);
        context.HttpContext.RequestServices.GetRequiredService<OperationContext>().BecomeUser(user.Id, user.DisplayName, access, null);
        Ui.UiContext.RememberUser(context.HttpContext, user);
    }
}
