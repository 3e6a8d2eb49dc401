using Microsoft.AspNetCore.Antiforgery;

namespace Aida.Platform.Ui;

/// <summary>
/// Every form post of a signed-in person carries its page's form token, whether or not the handler binds the
/// form. The framework checks the token only where a handler binds form fields; a button that posts nothing
/// else (dismiss, reopen, undo) would otherwise act on a cross-site request riding on the session cookie.
/// Anonymous posts (sign-in, public web forms) and the API (tokens, never cookies alone) are not pages' posts.
/// </summary>
public sealed class PageFormTokens(RequestDelegate next, IAntiforgery antiforgery)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (HttpMethods.IsPost(http.Request.Method)
            && http.User.Identity?.IsAuthenticated == true
            && http.User.Identity.AuthenticationType == Auth.CookieSessions.Scheme
            && !http.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            && http.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is null
            && http.Features.Get<IAntiforgeryValidationFeature>() is null
            && !await antiforgery.IsRequestValidAsync(http))
        {
            await Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The form is stale or forged; reload the page and try again.").ExecuteAsync(http);
            return;
        }

        await next(http);
    }
}
