namespace Aida.Platform.Ui;

/// <summary>
/// Errors for people: a browser asking for a page (not the API) gets an HTML error page in the site's
/// layout instead of problem+json — for unknown addresses (404), refused permissions (403), stale or
/// forged forms (400) and unexpected failures (500, with the request id to quote).
/// </summary>
public sealed class HtmlErrorPages : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => IsPageRequest(context.HttpContext.Request);

    public async ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var status = context.ProblemDetails.Status ?? http.Response.StatusCode;
        var ui = http.Response.HasStarted ? null : UiContext.For(http);
        var requestId = http.RequestServices.GetRequiredService<Auth.OperationContext>().RequestId;
        // Details written for API clients ("send the body as application/json") would mislead people;
        // a 400 gets words of its own, other statuses the error page's.
        var detail = status != StatusCodes.Status400BadRequest ? null
            : HttpMethods.IsGet(http.Request.Method) ? "This address has something in it that Aida cannot read. Check the link, or start again from the menu."
            : "The form was out of date or incomplete. Go back, reload the page and try again.";
        var page = Html.Page<ErrorPage>(new { Context = ui, Status = status, Detail = detail, RequestId = status >= 500 ? requestId : null }, status);
        await page.ExecuteAsync(http);
    }

    /// <summary>Pages are everything but the API, its documents and the health probes, asked for by a browser.</summary>
    public static bool IsPageRequest(HttpRequest request) =>
        !request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
        && !request.Path.StartsWithSegments("/openapi", StringComparison.OrdinalIgnoreCase)
        && !request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)
        && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
}
