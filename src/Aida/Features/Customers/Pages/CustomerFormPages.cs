using Aida.Features.Customers.Accounts;
using Aida.Features.Customers.Contacts;
using Aida.Features.Customers.Duplicates;

namespace Aida.Features.Customers.Pages;

/// <summary>
/// CustomerForm: create (WF-CM-001, with the duplicate warning of step 4: open an existing match, create
/// anyway, or cancel) and edit (a stale edit is refused with what changed meanwhile, and can be reapplied).
/// </summary>
public static class CustomerFormPages
{
    public static async Task<IResult> New(HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        var values = new FormValues(new Dictionary<string, string?>
        {
            ["type"] = http.Request.Query["type"].ToString() is "individual" or "organization" ? http.Request.Query["type"].ToString() : null,
            ["status"] = "prospect",
            ["ownerId"] = db.Operation.ActorId.ToString(),
        });
        return await FormAsync(http, db, values, null, null, null, StatusCodes.Status200OK, cancellationToken);
    }

    public static async Task<IResult> Create(HttpContext http, AidaDb db, DuplicateDetector duplicates, IFormCollection form, CancellationToken cancellationToken)
    {
        var values = new FormValues(form);
        var request = new CreateCustomer.Request(
            values.Enum<CustomerType>("type"),
            values.Text("displayName"),
            values.Enum<CustomerStatus>("status"),
            values.Enum<CustomerSource>("source"),
            values.Text("externalId"),
            values.Id("ownerId"),
            null,
            ContactPart(values),
            values.Text("type") == "organization" ? AccountPart(values) : null,
            null);
        if (values.Errors.Any)
        {
            return await FormAsync(http, db, values, values.OwnErrors, null, null, StatusCodes.Status400BadRequest, cancellationToken);
        }

        var result = await CreateCustomer.RunAsync(request, values.Flag("allowDuplicate"), db, duplicates, cancellationToken);
        return result.Failure switch
        {
            null => Html.Done(http, $"/customers/{result.Value!.Id}", CreatedNotice(result.Value)),
            PossibleDuplicate duplicate => await FormAsync(http, db, values, null, duplicate.Candidates, null, duplicate.StatusCode, cancellationToken),
            var failure => await FormAsync(http, db, values, values.With(failure.FieldErrors), null, null, failure.StatusCode, cancellationToken),
        };
    }

    /// <summary>The result's notice; a medium-confidence match is named there, as the record was created anyway.</summary>
    private static string CreatedNotice(CustomerResponse created) =>
        created.PossibleDuplicates is { Count: > 0 } possible
            ? $"{created.DisplayName} was created. It may be a duplicate of {string.Join(", ", possible.Select(p => p.DisplayName))}: please check."
            : $"{created.DisplayName} was created.";

    public static async Task<IResult> Edit(Guid id, HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        return await CustomerPages.FindAsync(db, id, cancellationToken) is { } customer
            ? await FormAsync(http, db, ValuesOf(customer), null, null, customer, StatusCodes.Status200OK, cancellationToken)
            : Html.NotFound(http, "customer");
    }

    public static async Task<IResult> Update(Guid id, HttpContext http, AidaDb db, IFormCollection form, CancellationToken cancellationToken)
    {
        var values = new FormValues(form);
        var request = new UpdateCustomer.Request(
            values.Enum<CustomerType>("type") is { } type ? type : default(Optional<CustomerType>),
            values.Text("displayName"),
            values.Enum<CustomerStatus>("status") is { } status ? status : default(Optional<CustomerStatus>),
            values.Enum<CustomerSource>("source"),
            values.Text("externalId"),
            values.Id("ownerId"),
            default);
        Failure? failed = null;
        if (!values.Errors.Any)
        {
            var result = await UpdateCustomer.RunAsync(id, request, values.IfMatch ?? "", db, cancellationToken);
            if (result.Succeeded)
            {
                return Html.Done(http, $"/customers/{id}", $"{result.Value.DisplayName} was saved.");
            }

            failed = result.Failure;
        }

        // Refused: the form again, beside the customer as it is stored now.
        var current = failed is Failure.NotFound ? null : await CustomerPages.FindAsync(db, id, cancellationToken);
        if (current is null)
        {
            return Html.NotFound(http, "customer");
        }

        if (failed is Failure.Stale)
        {
            // Keep what the user typed, show what is stored now, and base a second save on the current version.
            return await FormAsync(http, db, values.Restamped(current.Version), null, null, current, StatusCodes.Status412PreconditionFailed, cancellationToken, staleSince: ValuesOf(current));
        }

        return await FormAsync(http, db, values, failed is null ? values.OwnErrors : values.With(failed.FieldErrors), null, current,
            failed?.StatusCode ?? StatusCodes.Status400BadRequest, cancellationToken);
    }

    private static ContactFields? ContactPart(FormValues values)
    {
        string?[] parts = [values.Text("primaryContact.firstName"), values.Text("primaryContact.lastName"), values.Text("primaryContact.email"), values.Text("primaryContact.phone"), values.Text("primaryContact.jobTitle")];
        return parts.All(p => p is null)
            ? null
            : new ContactFields(parts[0], parts[1], parts[2], parts[3], parts[4], true, null, null, null);
    }

    private static AccountFields? AccountPart(FormValues values)
    {
        var employees = values.Enum<EmployeeCount>("account.employeeCount");
        string?[] parts = [values.Text("account.legalName"), values.Text("account.website"), values.Text("account.industry")];
        return parts.All(p => p is null) && employees is null
            ? null
            : new AccountFields(parts[0], null, null, parts[2], employees, null, parts[1]);
    }

    private static FormValues ValuesOf(CustomerResponse c) => new(new Dictionary<string, string?>
    {
        ["type"] = EnumText<CustomerType>.ToText(c.Type),
        ["displayName"] = c.DisplayName,
        ["status"] = EnumText<CustomerStatus>.ToText(c.Status),
        ["source"] = c.Source is { } s ? EnumText<CustomerSource>.ToText(s) : null,
        ["externalId"] = c.ExternalId,
        ["ownerId"] = c.OwnerId?.ToString(),
        ["version"] = c.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    private static async Task<IResult> FormAsync(
        HttpContext http, AidaDb db, FormValues values, IReadOnlyDictionary<string, string[]>? errors,
        IReadOnlyList<DuplicateCandidate>? duplicates, CustomerResponse? existing, int status, CancellationToken cancellationToken,
        FormValues? staleSince = null) =>
        Html.Page<CustomerFormPage>(new
        {
            Context = UiContext.For(http),
            Values = values,
            Errors = errors,
            Duplicates = duplicates,
            Existing = existing,
            StaleSince = staleSince,
            Users = await UserDirectory.LoadAsync(db, cancellationToken),
        }, status);
}
