using Microsoft.AspNetCore.Components;

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

    /// <summary>
    /// After a quick action's post (delete, pin, make default): back to the page with a message saying what
    /// happened — done, refused (the use case's words), or stale (someone else changed the record first).
    /// </summary>
    public static IResult Finish(HttpContext http, Failure? failure, string url, string done, string? failedUrl = null)
    {
        switch (failure)
        {
            case null:
                return Done(http, url, done);
            case Failure.NotFound:
                return NotFound(http, "record");
            case Failure.Stale:
                Flash.Set(http, FlashKind.Error, "Nothing was changed: someone else changed this record meanwhile. Here it is as it is now; try again.");
                return TypedResults.Redirect(failedUrl ?? url);
            default:
                var reasons = string.Join(" ", failure.FieldErrors.SelectMany(e => e.Value));
                Flash.Set(http, FlashKind.Error, reasons.Length > 0 ? $"Nothing was changed: {reasons}" : "Nothing was changed.");
                return TypedResults.Redirect(failedUrl ?? url);
        }
    }

    public static RazorComponentResult<ErrorPage> NotFound(HttpContext http, string what) =>
        Page<ErrorPage>(new { Context = UiContext.For(http), Status = StatusCodes.Status404NotFound, Detail = $"There is no {what} here, or you cannot see it." },
            StatusCodes.Status404NotFound);

    public static RazorComponentResult<ErrorPage> Forbidden(HttpContext http, string detail) =>
        Page<ErrorPage>(new { Context = UiContext.For(http), Status = StatusCodes.Status403Forbidden, Detail = detail },
            StatusCodes.Status403Forbidden);
}
