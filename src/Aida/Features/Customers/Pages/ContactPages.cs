using Aida.Features.Customers.Contacts;

namespace Aida.Features.Customers.Pages;

/// <summary>
/// ContactForm: add a contact to a customer (chosen with the picker when started from the contacts
/// list), edit one, make one the primary contact (the previous primary is demoted), delete one.
/// </summary>
public static class ContactPages
{
    public static async Task<IResult> New(HttpContext http, AidaDb db, Guid? customerId, CancellationToken cancellationToken)
    {
        var customer = customerId is { } id ? await CustomerPages.FindAsync(db, id, cancellationToken) : null;
        if (customerId is not null && customer is null)
        {
            return Html.NotFound(http, "customer");
        }

        var values = new FormValues(new Dictionary<string, string?> { ["communicationPreference"] = "any", ["status"] = "active" });
        return Form(http, values, null, customer, null, null);
    }

    public static async Task<IResult> Create(HttpContext http, AidaDb db, IFormCollection form, CancellationToken cancellationToken)
    {
        var values = new FormValues(form);
        var customerId = values.Id("customerId");
        var customer = customerId is { } id ? await CustomerPages.FindAsync(db, id, cancellationToken) : null;
        var fixedCustomer = values["customerFixed"] == "true" ? customer : null;
        if (values["find"] == "customerId")
        {
            var matches = await CustomerPicking.MatchesAsync(db, values["customerId.search"], null, false, cancellationToken);
            return Form(http, values, null, fixedCustomer, null, matches);
        }

        if (customer is null)
        {
            values.Errors.Add("customerId", "Choose the customer this contact belongs to.");
        }

        var fields = Fields(values);
        // A refused form shows the picker as it was: the same search, its matches, the choice made.
        var shownMatches = fixedCustomer is null ? await CustomerPicking.MatchesAsync(db, values["customerId.search"], null, false, cancellationToken) : null;
        if (values.Errors.Any)
        {
            return Form(http, values, values.OwnErrors, fixedCustomer, null, shownMatches, StatusCodes.Status400BadRequest);
        }

        var result = await CreateContact.RunAsync(customer!.Id, fields, db, cancellationToken);
        return result.Succeeded
            ? Html.Done(http, $"/customers/{customer.Id}?tab=contacts", $"{result.Value.FirstName} {result.Value.LastName} was added.")
            : Form(http, values, values.With(result.Failure.FieldErrors), fixedCustomer, null, shownMatches, result.Failure.StatusCode);
    }

    public static async Task<IResult> Edit(Guid customerId, Guid contactId, HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        var contact = (await GetContact.RunAsync(customerId, contactId, db, cancellationToken)).Value;
        var customer = await CustomerPages.FindAsync(db, customerId, cancellationToken);
        return contact is null || customer is null
            ? Html.NotFound(http, "contact")
            : Form(http, ValuesOf(contact), null, customer, contact, null);
    }

    public static async Task<IResult> Update(Guid customerId, Guid contactId, HttpContext http, AidaDb db, IFormCollection form, CancellationToken cancellationToken)
    {
        var values = new FormValues(form);
        var request = new UpdateContact.Request(
            values.Text("firstName"), values.Text("lastName"), values.Text("email"), values.Text("phone"), values.Text("jobTitle"),
            values.Flag("isPrimary") ? true : default(Optional<bool>),
            values.Enum<ContactStatus>("status") is { } status ? status : default(Optional<ContactStatus>),
            values.Enum<CommunicationPreference>("communicationPreference") is { } preference ? preference : default(Optional<CommunicationPreference>),
            values.Flag("doNotContact"));
        Failure? failed = null;
        if (!values.Errors.Any)
        {
            var result = await UpdateContact.RunAsync(customerId, contactId, request, values.IfMatch ?? "", db, cancellationToken);
            if (result.Succeeded)
            {
                return Html.Done(http, $"/customers/{customerId}?tab=contacts", $"{result.Value.FirstName} {result.Value.LastName} was saved.");
            }

            failed = result.Failure;
        }

        // Refused: the form again, beside the contact as it is stored now.
        var contact = failed is Failure.NotFound ? null : (await GetContact.RunAsync(customerId, contactId, db, cancellationToken)).Value;
        var customer = contact is null ? null : await CustomerPages.FindAsync(db, customerId, cancellationToken);
        if (contact is null || customer is null)
        {
            return Html.NotFound(http, "contact");
        }

        return failed is Failure.Stale
            ? Form(http, values.Restamped(contact.Version), null, customer, contact, null, StatusCodes.Status412PreconditionFailed, ValuesOf(contact))
            : Form(http, values, failed is null ? values.OwnErrors : values.With(failed.FieldErrors), customer, contact, null, failed?.StatusCode ?? StatusCodes.Status400BadRequest);
    }

    public static async Task<IResult> MakePrimary(Guid customerId, Guid contactId, HttpContext http, AidaDb db, IFormCollection form, CancellationToken cancellationToken)
    {
        var values = new FormValues(form);
        var request = new UpdateContact.Request(default, default, default, default, default, true, default, default, default);
        var result = await UpdateContact.RunAsync(customerId, contactId, request, values.IfMatch ?? "", db, cancellationToken);
        return Html.Finish(http, result.Failure, $"/customers/{customerId}?tab=contacts",
            result.Value is { } c ? $"{c.FirstName} {c.LastName} is now the primary contact." : "");
    }

    public static async Task<IResult> Delete(Guid customerId, Guid contactId, HttpContext http, AidaDb db, IFormCollection form, CancellationToken cancellationToken)
    {
        var values = new FormValues(form);
        var result = await DeleteContact.RunAsync(customerId, contactId, values.IfMatch ?? "", db, cancellationToken);
        return Html.Finish(http, result.Failure, $"/customers/{customerId}?tab=contacts", "The contact was deleted.");
    }

    private static ContactFields Fields(FormValues values) => new(
        values.Text("firstName"), values.Text("lastName"), values.Text("email"), values.Text("phone"), values.Text("jobTitle"),
        // Unticked means "not asked for": a customer's first contact still becomes its primary one.
        values.Flag("isPrimary") ? true : null, values.Enum<ContactStatus>("status"), values.Enum<CommunicationPreference>("communicationPreference"),
        values.Flag("doNotContact"));

    private static FormValues ValuesOf(ContactResponse c) => new(new Dictionary<string, string?>
    {
        ["firstName"] = c.FirstName,
        ["lastName"] = c.LastName,
        ["email"] = c.Email,
        ["phone"] = c.Phone,
        ["jobTitle"] = c.JobTitle,
        ["isPrimary"] = c.IsPrimary ? "true" : null,
        ["status"] = EnumText<ContactStatus>.ToText(c.Status),
        ["communicationPreference"] = EnumText<CommunicationPreference>.ToText(c.CommunicationPreference),
        ["doNotContact"] = c.DoNotContact ? "true" : null,
        ["version"] = c.Version.ToString(CultureInfo.InvariantCulture),
    });

    private static IResult Form(
        HttpContext http, FormValues values, IReadOnlyDictionary<string, string[]>? errors, CustomerResponse? customer, ContactResponse? existing,
        IReadOnlyList<CustomerResponse>? matches, int status = StatusCodes.Status200OK, FormValues? staleSince = null) =>
        Html.Page<ContactFormPage>(new
        {
            Context = UiContext.For(http),
            Values = values,
            Errors = errors,
            Customer = customer,
            Existing = existing,
            Matches = matches,
            StaleSince = staleSince,
        }, status);
}
