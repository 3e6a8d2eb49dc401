using Microsoft.AspNetCore.Authorization;

namespace Aida.Platform.Auth.Pages;

/// <summary>Every page of sign-in and the signed-in user's account: sign-in, first-run setup, sign-out, tokens and profile. The home page is the CRM dashboard (Features/Dashboard).</summary>
public static class AuthPagesModule
{
    public static IEndpointRouteBuilder MapAuthPages(this IEndpointRouteBuilder app)
    {
        var anonymous = app.MapGroup("").AllowAnonymous().ExcludeFromDescription();
        anonymous.MapGet("/signin", AuthPages.SignInForm);
        anonymous.MapPost("/signin", AuthPages.SignIn).RequireRateLimiting(AuthPages.SignInRateLimit);
        anonymous.MapGet("/setup", AuthPages.SetupForm);
        anonymous.MapPost("/setup", AuthPages.Setup).RequireRateLimiting(AuthPages.SignInRateLimit);

        var pages = app.MapGroup("").RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = CookieSessions.Scheme }).ExcludeFromDescription();
        // A method taking only HttpContext also fits RequestDelegate, which the compiler prefers; the cast binds it as a handler.
        pages.MapPost("/signout", (Delegate)AuthPages.SignOut);
        pages.MapGet("/account/tokens", AuthPages.Tokens);
        pages.MapPost("/account/tokens", AuthPages.CreateToken);
        pages.MapPost("/account/tokens/{id:guid}/revoke", AuthPages.RevokeToken);
        pages.MapGet("/account/profile", ProfilePages.Show);
        pages.MapPost("/account/profile", ProfilePages.Update);
        pages.MapPost("/account/password", ProfilePages.ChangePassword);
        return app;
    }
}
