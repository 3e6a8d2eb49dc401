using Aida.Features.Customers;
using Aida.Features.Customers.Pages;
using Aida.Features.Interactions.Communications;

namespace Aida.Features.Interactions.Pages;

/// <summary>
/// The unmatched queue (WF-IT-002 step 4, edge case "email from unknown sender"): messages no contact
/// or customer matched, for a manager or admin to read and assign to a customer, which logs them there.
/// </summary>
public static class UnmatchedPages
{
    public static async Task<IResult> List(HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        var queue = (await ListUnmatched.RunAsync(Paging.MaxLimit, db, cancellationToken)).Value!;
        return Html.Page<UnmatchedPage>(new { Context = UiContext.For(http), Messages = queue.Items });
    }

    public static async Task<IResult> Assign(Guid id, HttpContext http, AidaDb db, CancellationToken cancellationToken) =>
        await RenderAsync(http, db, id, new FormValues(new Dictionary<string, string?>()), null, StatusCodes.Status200OK, cancellationToken);

    public static async Task<IResult> Save(Guid id, HttpContext http, AidaDb db, IFormCollection posted, CancellationToken cancellationToken)
    {
        var values = new FormValues(posted);
        var customerId = values.Id("customerId");
        if (values.Text("find") is not null || customerId is null)
        {
            // "Find" without scripts, or no customer chosen yet: the picker again, with its matches.
            var errors = values.Text("find") is null ? new Dictionary<string, string[]> { ["customerId"] = ["Choose the customer this message belongs to."] } : null;
            return await RenderAsync(http, db, id, values, errors, errors is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest, cancellationToken);
        }

        var result = await AssignCommunication.RunAsync(id, new AssignCommunication.Request(customerId, null), db, cancellationToken);
        return result.Failure switch
        {
            null => Html.Done(http, $"/interactions/{result.Value!.Interaction!.Id}", "The message is logged with the customer."),
            Failure.NotFound => Html.NotFound(http, "message"),
            var failure => await RenderAsync(http, db, id, values, values.With(failure.FieldErrors), failure.StatusCode, cancellationToken),
        };
    }

    private static async Task<IResult> RenderAsync(HttpContext http, AidaDb db, Guid id, FormValues values, IReadOnlyDictionary<string, string[]>? errors,
        int status, CancellationToken cancellationToken)
    {
        var message = (await GetCommunication.RunAsync(id, db, cancellationToken)).Value;
        if (message is null || message.MatchStatus != MatchStatus.Unmatched)
        {
            return Html.NotFound(http, "unmatched message");
        }

        var matches = await CustomerPicking.MatchesAsync(db, values["customerId.search"], null, false, cancellationToken);
        return Html.Page<AssignMessagePage>(new { Context = UiContext.For(http), Message = message, Values = values, Errors = errors, Matches = matches }, status);
    }
}
