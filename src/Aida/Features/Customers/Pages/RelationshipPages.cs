using Aida.Features.Customers.Relationships;
using Aida.Platform.Data;
using Aida.Platform.Ui;

namespace Aida.Features.Customers.Pages;

/// <summary>Relationships from the Relationships tab: add one (picking the other customer), remove one.</summary>
public static class RelationshipPages
{
    public static async Task<IResult> Create(Guid customerId, HttpContext http, AidaDb db, IFormCollection form, CancellationToken cancellationToken)
    {
        var values = new FormValues(form);
        if (values["find"] == "toCustomerId")
        {
            var matches = await CustomerPicking.MatchesAsync(db, values["toCustomerId.search"], customerId, false, cancellationToken);
            return await ShowAgainAsync(customerId, http, db, values, matches, null, StatusCodes.Status200OK, cancellationToken);
        }

        var request = new CreateRelationship.Request(values.Id("toCustomerId"), values.Enum<RelationshipType>("relationshipType"),
            values.Text("notes"), values.Date("startDate"), values.Date("endDate"));
        if (values.Errors.Any)
        {
            return await ShowAgainAsync(customerId, http, db, values, null, values.OwnErrors, StatusCodes.Status400BadRequest, cancellationToken);
        }

        var outcome = Outcome.Of<RelationshipResponse>(await CreateRelationship.Handle(customerId, request, db, http.Response, cancellationToken));
        if (outcome.Succeeded)
        {
            return Html.Done(http, $"/customers/{customerId}?tab=relationships", "The relationship was added.");
        }

        return outcome.IsNotFound && !outcome.Errors.Any()
            ? Html.NotFound(http, "customer")
            : await ShowAgainAsync(customerId, http, db, values, null, values.With(outcome.FieldErrors), outcome.Status, cancellationToken);
    }

    public static async Task<IResult> Delete(Guid customerId, Guid relationshipId, HttpContext http, AidaDb db, IFormCollection form, CancellationToken cancellationToken)
    {
        var values = new FormValues(form);
        var outcome = Outcome.Of<object>(await DeleteRelationship.Handle(customerId, relationshipId, values.IfMatch ?? "", db, cancellationToken));
        return CustomerDetailPages.Finish(http, outcome, $"/customers/{customerId}?tab=relationships", "The relationship was removed.");
    }

    private static async Task<IResult> ShowAgainAsync(Guid customerId, HttpContext http, AidaDb db, FormValues values,
        IReadOnlyList<CustomerResponse>? matches, IReadOnlyDictionary<string, string[]>? errors, int status, CancellationToken cancellationToken)
    {
        var view = await CustomerDetailPages.ViewAsync(customerId, http, db, "relationships", null, cancellationToken);
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
