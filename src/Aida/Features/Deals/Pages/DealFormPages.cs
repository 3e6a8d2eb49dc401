using Aida.Features.Customers;
using Aida.Features.Customers.Contacts;
using Aida.Features.Customers.Pages;
using Microsoft.Extensions.Options;

namespace Aida.Features.Deals.Pages;

/// <summary>
/// The deal form: open a deal (<c>/deals/new</c>, for a customer given by <c>?customerId=</c> or chosen
/// with the picker) and edit one. Saves go through <see cref="CreateDeal"/> and <see cref="UpdateDeal"/>.
/// </summary>
public static class DealFormPages
{
    public sealed record DealForm(
        FormValues Values,
        IReadOnlyDictionary<string, string[]>? Errors,
        CustomerResponse? Customer,
        IReadOnlyList<CustomerResponse>? Matches,
        IReadOnlyList<(string Value, string Text)> Contacts,
        IReadOnlyList<(string Value, string Text)> Stages,
        IReadOnlyList<(string Value, string Text)> Owners,
        DealResponse? Existing);

    public static async Task<IResult> New(HttpContext http, AidaDb db, Guid? customerId, CancellationToken cancellationToken)
    {
        var customer = customerId is { } id ? await CustomerPages.FindAsync(db, id, cancellationToken) : null;
        if (customerId is not null && customer is null)
        {
            return Html.NotFound(http, "customer");
        }

        var values = new FormValues(new Dictionary<string, string?>
        {
            ["currency"] = "USD",
            ["priority"] = "medium",
            ["ownerId"] = db.Operation.ActorId.ToString(),
        });
        return await RenderAsync(http, db, values, null, customer, null, null, StatusCodes.Status200OK, cancellationToken);
    }

    public static async Task<IResult> Create(HttpContext http, AidaDb db, IOptions<DealOptions> options, IFormCollection form, CancellationToken cancellationToken)
    {
        var values = new FormValues(form);
        var customerId = values.Id("customerId");
        var customer = customerId is { } id ? await CustomerPages.FindAsync(db, id, cancellationToken) : null;
        var fixedCustomer = values["customerFixed"] == "true" ? customer : null;
        var matches = fixedCustomer is null ? await CustomerPicking.MatchesAsync(db, values["customerId.search"], null, false, cancellationToken) : null;
        if (values["find"] == "customerId")
        {
            return await RenderAsync(http, db, values, null, fixedCustomer, matches, null, StatusCodes.Status200OK, cancellationToken);
        }

        if (customer is null)
        {
            values.Errors.Add("customerId", "Choose the customer this deal is for.");
        }

        var value = Amount(values);
        var request = new CreateDeal.Request(
            values.Text("title"), values.Text("description"), value, values.Text("currency"), null, values.Id("stageId"),
            values.WholeNumber("probability"), values.Date("expectedCloseOn"), customer?.Id, values.Id("contactId"), values.Id("ownerId"),
            values.Text("source"), values.Enum<DealPriority>("priority"));
        if (values.Errors.Any)
        {
            return await RenderAsync(http, db, values, values.OwnErrors, fixedCustomer, matches, null, StatusCodes.Status400BadRequest, cancellationToken);
        }

        var opened = await CreateDeal.RunAsync(request, db, options, cancellationToken);
        return opened.Failure switch
        {
            null => Html.Done(http, $"/deals/{opened.Value!.Id}", $"The deal “{opened.Value.Title}” was opened in {opened.Value.Stage.Name}."),
            var failure => await RenderAsync(http, db, values, values.With(failure.FieldErrors), fixedCustomer, matches, null, failure.StatusCode, cancellationToken),
        };
    }

    public static async Task<IResult> Edit(Guid id, HttpContext http, AidaDb db, IOptions<DealOptions> options, CancellationToken cancellationToken)
    {
        var found = await GetDeal.RunAsync(id, db, options, cancellationToken);
        return found.Succeeded
            ? await RenderAsync(http, db, ValuesOf(found.Value), null, null, null, found.Value, StatusCodes.Status200OK, cancellationToken)
            : Html.NotFound(http, "deal");
    }

    public static async Task<IResult> Update(Guid id, HttpContext http, AidaDb db, IOptions<DealOptions> options, IFormCollection form, CancellationToken cancellationToken)
    {
        var values = new FormValues(form);
        var value = Amount(values);
        var priority = values.Enum<DealPriority>("priority");
        var request = new UpdateDeal.Request(
            values.Text("title"), values.Text("description"), value is { } v ? v : default(Optional<decimal>), values.Text("currency"),
            values.WholeNumber("probability"), values.Date("expectedCloseOn"), values.Id("contactId"), values.Id("ownerId"), values.Text("source"),
            priority is { } p ? p : default(Optional<DealPriority>), default, default, default, default);
        Failure? failed = null;
        if (!values.Errors.Any)
        {
            var saved = await UpdateDeal.RunAsync(id, request, values.IfMatch ?? "", db, options, cancellationToken);
            if (saved.Succeeded)
            {
                return Html.Done(http, $"/deals/{id}", "The deal was saved.");
            }

            failed = saved.Failure;
        }

        // Refused: the form again, beside the deal as it is stored now.
        var stored = await GetDeal.RunAsync(id, db, options, cancellationToken);
        if (!stored.Succeeded)
        {
            return Html.NotFound(http, "deal");
        }

        if (failed is Failure.Stale)
        {
            var stale = new Dictionary<string, string[]> { [""] = ["Someone else changed this deal while you were editing it. Save again to apply what you entered, or cancel."] };
            return await RenderAsync(http, db, values.Restamped(stored.Value.Version), stale, null, null, stored.Value, StatusCodes.Status412PreconditionFailed, cancellationToken);
        }

        return await RenderAsync(http, db, values, failed is null ? values.OwnErrors : values.With(failed.FieldErrors), null, null, stored.Value,
            failed?.StatusCode ?? StatusCodes.Status400BadRequest, cancellationToken);
    }

    private static decimal? Amount(FormValues values)
    {
        var text = values.Text("value");
        if (text is null)
        {
            return null;
        }

        if (decimal.TryParse(text.Replace(",", "", StringComparison.Ordinal), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var amount))
        {
            return amount;
        }

        values.Errors.Add("value", "Must be an amount, e.g. 1500 or 1500.50.");
        return null;
    }

    private static async Task<IResult> RenderAsync(
        HttpContext http, AidaDb db, FormValues values, IReadOnlyDictionary<string, string[]>? errors, CustomerResponse? customer,
        IReadOnlyList<CustomerResponse>? matches, DealResponse? existing, int status, CancellationToken cancellationToken)
    {
        var contactsOf = existing?.CustomerId ?? customer?.Id;
        var contacts = contactsOf is { } customerId
            ? await db.Set<Contact>().IgnoreQueryFilters().AsNoTracking().Where(c => c.CustomerId == customerId && c.DeletedAt == null)
                .OrderByDescending(c => c.IsPrimary).ThenBy(c => c.LastName).Take(200)
                .Select(c => new { c.Id, c.FirstName, c.LastName }).ToListAsync(cancellationToken)
            : [];
        var pipelines = (await ListPipelines.RunAsync(db, cancellationToken)).Items;
        var stages = pipelines.SelectMany(p => p.Stages.Where(s => s.Kind == StageKind.Open).Select(s => (s.Id.ToString(), $"{p.Name}: {s.Name}")))
            .Prepend(("", "Default pipeline, first stage")).ToList();
        var users = await UserDirectory.LoadAsync(db, cancellationToken);
        return Html.Page<DealFormPage>(new
        {
            Context = UiContext.For(http),
            Form = new DealForm(values, errors, customer, matches,
                contacts.Select(c => (c.Id.ToString(), $"{c.FirstName} {c.LastName}")).Prepend(("", "(none)")).ToList(),
                stages,
                users.Assignable.Select(u => (u.Id.ToString(), u.Name)).ToList(),
                existing),
        }, status);
    }

    private static FormValues ValuesOf(DealResponse d) => new(new Dictionary<string, string?>
    {
        ["title"] = d.Title,
        ["description"] = d.Description,
        ["value"] = d.Value.ToString(CultureInfo.InvariantCulture),
        ["currency"] = d.Currency,
        ["probability"] = d.ProbabilityOverride?.ToString(CultureInfo.InvariantCulture),
        ["expectedCloseOn"] = d.ExpectedCloseOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["contactId"] = d.ContactId?.ToString(),
        ["ownerId"] = d.OwnerId?.ToString(),
        ["source"] = d.Source,
        ["priority"] = EnumText<DealPriority>.ToText(d.Priority),
        ["version"] = d.Version.ToString(CultureInfo.InvariantCulture),
    });
}
