using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aida.Platform.Ui;

/// <summary>How page endpoints answer: a whole page, an htmx fragment, or a redirect after a post.</summary>
public static class Html
{
    /// <summary>A whole page; without <paramref name="status"/>, the status already set on the response (200 unless changed).</summary>
    public static RazorComponentResult<T> Page<T>(object parameters, int? status = null) where T : IComponent =>
        new(parameters) { ContentType = "text/html; charset=utf-8", StatusCode = status };

    /// <summary>htmx sends this header on the requests it makes; they get a fragment instead of a page.</summary>
    public static bool IsHtmx(HttpRequest request) => request.Headers["HX-Request"] == "true";

    /// <summary>After a successful post: show <paramref name="message"/> on the page at <paramref name="url"/>.</summary>
    public static RedirectHttpResult Done(HttpContext http, string url, string message)
    {
        Flash.Set(http, FlashKind.Success, message);
        return TypedResults.Redirect(url);
    }

    public static RazorComponentResult<ErrorPage> NotFound(HttpContext http, string what) =>
        Page<ErrorPage>(new { Context = UiContext.For(http), Status = StatusCodes.Status404NotFound, Detail = $"There is no {what} here, or you cannot see it." },
            StatusCodes.Status404NotFound);

    public static RazorComponentResult<ErrorPage> Forbidden(HttpContext http, string detail) =>
        Page<ErrorPage>(new { Context = UiContext.For(http), Status = StatusCodes.Status403Forbidden, Detail = detail },
            StatusCodes.Status403Forbidden);
}
