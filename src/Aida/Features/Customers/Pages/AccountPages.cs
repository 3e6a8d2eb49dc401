using Aida.Features.Customers.Accounts;

namespace Aida.Features.Customers.Pages;

/// <summary>An organization's account details: one form that adds them the first time and edits them after.</summary>
public static class AccountPages
{
    public static async Task<IResult> Edit(Guid customerId, HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        var customer = await CustomerPages.FindAsync(db, customerId, cancellationToken);
        if (customer is null)
        {
            return Html.NotFound(http, "customer");
        }

        var account = (await GetAccount.RunAsync(customerId, db, cancellationToken)).Value;
        return Form(http, account is null ? new FormValues(new Dictionary<string, string?> { ["legalName"] = customer.DisplayName }) : ValuesOf(account), null, customer, account);
    }

    public static async Task<IResult> Save(Guid customerId, HttpContext http, AidaDb db, IFormCollection form, CancellationToken cancellationToken)
    {
        var customer = await CustomerPages.FindAsync(db, customerId, cancellationToken);
        if (customer is null)
        {
            return Html.NotFound(http, "customer");
        }

        var account = (await GetAccount.RunAsync(customerId, db, cancellationToken)).Value;
        var values = new FormValues(form);
        var employees = values.Enum<EmployeeCount>("employeeCount");
        var revenue = values.Enum<AnnualRevenue>("annualRevenue");
        // Without viewSensitive the tax id is neither shown nor sent, so it is left as it is.
        var seesTaxId = db.Operation.Access.SeesSensitive;
        if (values.Errors.Any)
        {
            return Form(http, values, values.OwnErrors, customer, account, StatusCodes.Status400BadRequest);
        }

        var result = account is null
            ? await CreateAccount.RunAsync(customerId, new AccountFields(values.Text("legalName"), values.Text("dbaName"),
                seesTaxId ? values.Text("taxId") : null, values.Text("industry"), employees, revenue, values.Text("website")), db, cancellationToken)
            : await UpdateAccount.RunAsync(customerId, new UpdateAccount.Request(values.Text("legalName"), values.Text("dbaName"),
                seesTaxId ? values.Text("taxId") : default(Optional<string?>), values.Text("industry"), employees, revenue, values.Text("website")),
                values.IfMatch ?? "", db, cancellationToken);
        return result.Failure switch
        {
            null => Html.Done(http, $"/customers/{customerId}", "The account details were saved."),
            Failure.Stale when account is not null => Form(http, values.Restamped(account.Version), new Dictionary<string, string[]>
            {
                [""] = ["These account details were changed by someone else while you were editing them. Save again to apply what you entered, or cancel to see theirs."],
            }, customer, account, StatusCodes.Status412PreconditionFailed),
            var failure => Form(http, values, values.With(failure.FieldErrors), customer, account, failure.StatusCode),
        };
    }

    private static FormValues ValuesOf(AccountResponse a) => new(new Dictionary<string, string?>
    {
        ["legalName"] = a.LegalName,
        ["dbaName"] = a.DbaName,
        ["taxId"] = a.TaxId,
        ["industry"] = a.Industry,
        ["website"] = a.Website,
        ["employeeCount"] = a.EmployeeCount is { } e ? EnumText<EmployeeCount>.ToText(e) : null,
        ["annualRevenue"] = a.AnnualRevenue is { } r ? EnumText<AnnualRevenue>.ToText(r) : null,
        ["version"] = a.Version.ToString(CultureInfo.InvariantCulture),
    });

    private static IResult Form(HttpContext http, FormValues values, IReadOnlyDictionary<string, string[]>? errors, CustomerResponse customer,
        AccountResponse? existing, int status = StatusCodes.Status200OK) =>
        Html.Page<AccountFormPage>(new { Context = UiContext.For(http), Values = values, Errors = errors, Customer = customer, Existing = existing }, status);
}
