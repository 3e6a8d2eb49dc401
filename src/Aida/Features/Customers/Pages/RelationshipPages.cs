using Aida.Features.Customers.Relationships;

namespace Aida.Features.Customers.Pages;

/// <summary>Relationships from the Relationships tab: add one (picking the other customer), remove one.</summary>
public static class RelationshipPages
{
    public static async Task<IResult> Create(
        Guid customerId, HttpContext http, AidaDb db, [FromServices] IEnumerable<ICustomerTab> tabs, IFormCollection form, CancellationToken cancellationToken)
    {
        var values = new FormValues(form);
        if (values["find"] == "toCustomerId")
        {
            var matches = await CustomerPicking.MatchesAsync(db, values["toCustomerId.search"], customerId, false, cancellationToken);
            return await ShowAgainAsync(customerId, http, db, tabs, values, matches, null, StatusCodes.Status200OK, cancellationToken);
        }

        var request = new CreateRelationship.Request(values.Id("toCustomerId"), values.Enum<RelationshipType>("relationshipType"),
            values.Text("notes"), values.Date("startDate"), values.Date("endDate"));
        if (values.Errors.Any)
        {
            return await ShowAgainAsync(customerId, http, db, tabs, values, null, values.OwnErrors, StatusCodes.Status400BadRequest, cancellationToken);
        }

        var result = await CreateRelationship.RunAsync(customerId, request, db, cancellationToken);
        return result.Failure switch
        {
            null => Html.Done(http, $"/customers/{customerId}?tab=relationships", "The relationship was added."),
            Failure.NotFound => Html.NotFound(http, "customer"),
            var failure => await ShowAgainAsync(customerId, http, db, tabs, values, null, values.With(failure.FieldErrors), failure.StatusCode, cancellationToken),
        };
    }

    public static async Task<IResult> Delete(Guid customerId, Guid relationshipId, HttpContext http, AidaDb db, IFormCollection form, CancellationToken cancellationToken)
    {
        var values = new FormValues(form);
        var result = await DeleteRelationship.RunAsync(customerId, relationshipId, values.IfMatch ?? "", db, cancellationToken);
        return Html.Finish(http, result.Failure, $"/customers/{customerId}?tab=relationships", "The relationship was removed.");
    }

    private static async Task<IResult> ShowAgainAsync(Guid customerId, HttpContext http, AidaDb db, IEnumerable<ICustomerTab> tabs, FormValues values,
        IReadOnlyList<CustomerResponse>? matches, IReadOnlyDictionary<string, string[]>? errors, int status, CancellationToken cancellationToken)
    {
        var view = await CustomerDetailPages.ViewAsync(customerId, http, db, tabs, "relationships", null, cancellationToken);
        if (view is null)
        {
            return Html.NotFound(http, "customer");
        }

        view.RelationshipForm = values;
        view.PickerMatches = matches ?? (values["toCustomerId.search"] is { } search
            ? await CustomerPicking.MatchesAsync(db, search, customerId, false, cancellationToken)
            : null);
        view.FormErrors = errors;
        return CustomerDetailPages.Render(http, view, status);
    }
}
