using Aida.Platform.Ui;
using Aida.Platform.UseCases;

namespace Aida.Features.Interactions.Pages;

/// <summary>
/// After a quick action's post (log a call, complete, reschedule, pin, delete): back to the page with a
/// message saying what happened — done, refused (the use case's words), or stale (someone else changed the
/// record first). The same words as the customer page's quick actions (CustomerDetailPages.Finish).
/// </summary>
public static class QuickActions
{
    public static IResult Finish<T>(HttpContext http, Result<T> result, string url, string done, string? failedUrl = null)
    {
        switch (result.Failure)
        {
            case null:
                return Html.Done(http, url, done);
            case Failure.NotFound:
                return Html.NotFound(http, "record");
            case Failure.Stale:
                Flash.Set(http, FlashKind.Error, "Nothing was changed: someone else changed this record meanwhile. Here it is as it is now; try again.");
                return TypedResults.Redirect(failedUrl ?? url);
            case var failure:
                var reasons = string.Join(" ", failure.FieldErrors.SelectMany(e => e.Value));
                Flash.Set(http, FlashKind.Error, reasons.Length > 0 ? $"Nothing was changed: {reasons}" : "Nothing was changed.");
                return TypedResults.Redirect(failedUrl ?? url);
        }
    }
}
