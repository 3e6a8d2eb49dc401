using Aida.Features.Customers.Addresses;

namespace Aida.Features.Customers.Pages;

/// <summary>Addresses of a customer: add, edit, make the default of its type, delete.</summary>
public static class AddressPages
{
    public static async Task<IResult> New(Guid customerId, HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        var customer = await CustomerPages.FindAsync(db, customerId, cancellationToken);
        return customer is null
            ? Html.NotFound(http, "customer")
            : Form(http, new FormValues(new Dictionary<string, string?> { ["addressType"] = customer.Type == CustomerType.Organization ? "headquarters" : "billing" }), null, customer, null);
    }

    public static async Task<IResult> Create(Guid customerId, HttpContext http, AidaDb db, IFormCollection form, CancellationToken cancellationToken)
    {
        var customer = await CustomerPages.FindAsync(db, customerId, cancellationToken);
        if (customer is null)
        {
            return Html.NotFound(http, "customer");
        }

        var values = new FormValues(form);
        var fields = new AddressFields(values.Enum<AddressType>("addressType"), values.Flag("isDefault") ? true : null, values.Text("streetLine1"), values.Text("streetLine2"),
            values.Text("city"), values.Text("stateProvince"), values.Text("postalCode"), values.Text("country"), null, null);
        if (values.Errors.Any)
        {
            return Form(http, values, values.OwnErrors, customer, null, StatusCodes.Status400BadRequest);
        }

        var result = await CreateAddress.RunAsync(customerId, fields, db, cancellationToken);
        return result.Failure is { } failure
            ? Form(http, values, values.With(failure.FieldErrors), customer, null, failure.StatusCode)
            : Html.Done(http, $"/customers/{customerId}?tab=addresses", "The address was added.");
    }

    public static async Task<IResult> Edit(Guid customerId, Guid addressId, HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        var customer = await CustomerPages.FindAsync(db, customerId, cancellationToken);
        var address = (await GetAddress.RunAsync(customerId, addressId, db, cancellationToken)).Value;
        return customer is null || address is null ? Html.NotFound(http, "address") : Form(http, ValuesOf(address), null, customer, address);
    }

    public static async Task<IResult> Update(Guid customerId, Guid addressId, HttpContext http, AidaDb db, IFormCollection form, CancellationToken cancellationToken)
    {
        var values = new FormValues(form);
        var request = new UpdateAddress.Request(
            values.Enum<AddressType>("addressType") is { } type ? type : default(Optional<AddressType>),
            values.Flag("isDefault") ? true : default(Optional<bool>),
            values.Text("streetLine1"), values.Text("streetLine2"), values.Text("city"), values.Text("stateProvince"),
            values.Text("postalCode"), values.Text("country"), default, default);
        Failure? failed = null;
        if (!values.Errors.Any)
        {
            var result = await UpdateAddress.RunAsync(customerId, addressId, request, values.IfMatch ?? "", db, cancellationToken);
            if (result.Succeeded)
            {
                return Html.Done(http, $"/customers/{customerId}?tab=addresses", "The address was saved.");
            }

            failed = result.Failure;
        }

        // Refused: the form again, beside the address as it is stored now.
        var address = failed is Failure.NotFound ? null : (await GetAddress.RunAsync(customerId, addressId, db, cancellationToken)).Value;
        var customer = address is null ? null : await CustomerPages.FindAsync(db, customerId, cancellationToken);
        if (customer is null || address is null)
        {
            return Html.NotFound(http, "address");
        }

        if (failed is Failure.Stale)
        {
            return Form(http, values.Restamped(address.Version), new Dictionary<string, string[]>
            {
                [""] = [$"This address was changed by someone else while you were editing it; it now reads {address.StreetLine1}, {address.City}, {address.Country}. Save again to apply what you entered, or cancel."],
            }, customer, address, StatusCodes.Status412PreconditionFailed);
        }

        return Form(http, values, failed is null ? values.OwnErrors : values.With(failed.FieldErrors), customer, address, failed?.StatusCode ?? StatusCodes.Status400BadRequest);
    }

    public static async Task<IResult> MakeDefault(Guid customerId, Guid addressId, HttpContext http, AidaDb db, IFormCollection form, CancellationToken cancellationToken)
    {
        var values = new FormValues(form);
        var request = new UpdateAddress.Request(default, true, default, default, default, default, default, default, default, default);
        var result = await UpdateAddress.RunAsync(customerId, addressId, request, values.IfMatch ?? "", db, cancellationToken);
        return Html.Finish(http, result.Failure, $"/customers/{customerId}?tab=addresses", "The default address was changed.");
    }

    public static async Task<IResult> Delete(Guid customerId, Guid addressId, HttpContext http, AidaDb db, IFormCollection form, CancellationToken cancellationToken)
    {
        var values = new FormValues(form);
        var result = await DeleteAddress.RunAsync(customerId, addressId, values.IfMatch ?? "", db, cancellationToken);
        return Html.Finish(http, result.Failure, $"/customers/{customerId}?tab=addresses", "The address was deleted.");
    }

    private static FormValues ValuesOf(AddressResponse a) => new(new Dictionary<string, string?>
    {
        ["addressType"] = EnumText<AddressType>.ToText(a.AddressType),
        ["isDefault"] = a.IsDefault ? "true" : null,
        ["streetLine1"] = a.StreetLine1,
        ["streetLine2"] = a.StreetLine2,
        ["city"] = a.City,
        ["stateProvince"] = a.StateProvince,
        ["postalCode"] = a.PostalCode,
        ["country"] = a.Country,
        ["version"] = a.Version.ToString(CultureInfo.InvariantCulture),
    });

    private static IResult Form(HttpContext http, FormValues values, IReadOnlyDictionary<string, string[]>? errors, CustomerResponse customer,
        AddressResponse? existing, int status = StatusCodes.Status200OK) =>
        Html.Page<AddressFormPage>(new { Context = UiContext.For(http), Values = values, Errors = errors, Customer = customer, Existing = existing }, status);
}
