using Aida.Features.Customers.Accounts;
using Aida.Features.Customers.Addresses;
using Aida.Features.Customers.Contacts;
using Aida.Features.Customers.Relationships;
using Microsoft.AspNetCore.Components;

namespace Aida.Features.Customers.Pages;

/// <summary>
/// CustomerDetail: a header with the key facts and quick actions, and tabs — Overview, Contacts, Addresses,
/// Relationships, History (the audit log), and those other features contribute (<see cref="ICustomerTab"/>:
/// the Timeline of interactions, notes and activities, from Features/Interactions). Each tab reads only what it shows.
/// </summary>
public static class CustomerDetailPages
{
    /// <summary>The page's own tabs and where each stands; a contributed tab's <see cref="ICustomerTab.Order"/> places it among them.</summary>
    public static readonly (string Key, int Order)[] OwnTabs =
        [("overview", 100), ("contacts", 300), ("addresses", 400), ("relationships", 500), ("history", 600)];

    private const string DefaultTab = "overview";

    public static async Task<IResult> Show(
        Guid id, HttpContext http, AidaDb db, [FromServices] IEnumerable<ICustomerTab> contributed, string? tab, string? cursor, CancellationToken cancellationToken) =>
        await ViewAsync(id, http, db, contributed, tab, cursor, cancellationToken) is { } view
            ? Render(http, view)
            // A customer merged away leads to the one it was merged into (WF-CM-002). Temporary (302), not the
            // API's 308: a browser caches a permanent redirect, and the merge may be undone within 30 days.
            : await Merges.MergeRedirects.SurvivorAsync(db, id, cancellationToken) is { } survivor
                ? TypedResults.Redirect($"/customers/{survivor}")
                : Html.NotFound(http, "customer");

    public static IResult Render(HttpContext http, CustomerView view, int status = StatusCodes.Status200OK) =>
        Html.Page<CustomerDetailPage>(new { Context = UiContext.For(http), View = view }, status);

    /// <summary>The customer and what its <paramref name="tab"/> shows; null when there is no such customer in reach.</summary>
    public static async Task<CustomerView?> ViewAsync(
        Guid id, HttpContext http, AidaDb db, IEnumerable<ICustomerTab> contributed, string? tab, string? cursor, CancellationToken cancellationToken)
    {
        var customer = await CustomerPages.FindAsync(db, id, cancellationToken);
        if (customer is null)
        {
            return null;
        }

        var contributions = contributed.ToList();
        var tabs = Tabs(contributions);
        var view = new CustomerView
        {
            Customer = customer,
            Tabs = tabs,
            Tab = tabs.Any(t => t.Key == tab) ? tab! : DefaultTab,
            Users = await UserDirectory.LoadAsync(db, cancellationToken),
            ParentName = customer.ParentId is { } parentId
                ? await db.Set<Customer>().AsNoTracking().Where(c => c.Id == parentId).Select(c => c.DisplayName).FirstOrDefaultAsync(cancellationToken)
                : null,
        };
        view.UndoableMerge = await Merges.GetMerge.UndoableIntoAsync(db, id, cancellationToken);
        if (UiContext.For(http).Can(Permissions.CustomersReviewDuplicates))
        {
            view.OpenDuplicates = await Duplicates.DuplicatePairs.OpenPartnersAsync(db, id, cancellationToken);
        }

        switch (view.Tab)
        {
            case "overview":
                view.Account = (await GetAccount.RunAsync(id, db, cancellationToken)).Value;
                view.ContactCount = await db.Set<Contact>().CountAsync(c => c.CustomerId == id, cancellationToken);
                break;
            case "contacts":
                view.Contacts = await db.Set<Contact>().AsNoTracking().Where(c => c.CustomerId == id)
                    .OrderByDescending(c => c.IsPrimary).ThenBy(c => c.LastName).ThenBy(c => c.FirstName)
                    .Take(500).Select(c => c.ToResponse()).ToListAsync(cancellationToken);
                break;
            case "addresses":
                view.Addresses = (await ListAddresses.RunAsync(id, null, Paging.MaxLimit, null, db, cancellationToken)).Value?.Items;
                break;
            case "relationships":
                var relationships = (await ListRelationships.RunAsync(id, null, Paging.MaxLimit, null, db, cancellationToken)).Value?.Items ?? [];
                view.Relationships = relationships;
                view.Names = await CustomerPages.NamesAsync(db,
                    relationships.Select(r => r.FromCustomerId == id ? r.ToCustomerId : r.FromCustomerId).ToHashSet(), cancellationToken);
                break;
            case "history":
                view.History = (await ListAudit.RunAsync(new ListAudit.Query(null, null, id, 50, cursor), db, cancellationToken)).Value;
                break;
            default:
                var open = contributions.First(t => t.Key == view.Tab);
                view.ContributedTab = await open.RenderAsync(new CustomerTabRequest(http, db, id, view.Users), cancellationToken);
                break;
        }

        return view;
    }

    /// <summary>The page's own tabs and the contributed ones, in order (a tie keeps the page's own first).</summary>
    private static List<CustomerTab> Tabs(List<ICustomerTab> contributed) =>
        OwnTabs.Select(t => (t.Order, Tab: new CustomerTab(t.Key, Choices.Words(t.Key))))
            .Concat(contributed.Select(t => (t.Order, Tab: new CustomerTab(t.Key, t.Label))))
            .OrderBy(t => t.Order).Select(t => t.Tab).ToList();

    /// <summary>Quick action: deactivate (kept, listed, reversible) or reactivate.</summary>
    public static async Task<IResult> SetStatus(Guid id, HttpContext http, AidaDb db, IFormCollection form, CancellationToken cancellationToken)
    {
        var values = new FormValues(form);
        var status = values.Enum<CustomerStatus>("status");
        if (status is null)
        {
            Flash.Set(http, FlashKind.Error, "Choose a status.");
            return TypedResults.Redirect($"/customers/{id}");
        }

        var result = await UpdateCustomer.RunAsync(id, new UpdateCustomer.Request(default, default, status.Value, default, default, default, default),
            values.IfMatch ?? "", db, cancellationToken);
        return Html.Finish(http, result.Failure, $"/customers/{id}", $"The status is now {Choices.Label(status.Value)}.");
    }

    public static async Task<IResult> ConfirmDelete(Guid id, HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        var customer = await CustomerPages.FindAsync(db, id, cancellationToken);
        return customer is null
            ? Html.NotFound(http, "customer")
            : Html.Page<DeleteCustomerPage>(new { Context = UiContext.For(http), Customer = customer });
    }

    public static async Task<IResult> Delete(
        Guid id, HttpContext http, AidaDb db, [FromServices] IEnumerable<ICustomerDependents> dependents, IFormCollection form, CancellationToken cancellationToken)
    {
        var values = new FormValues(form);
        var result = await DeleteCustomer.RunAsync(id, values.IfMatch ?? "", db, dependents, cancellationToken);
        return Html.Finish(http, result.Failure, "/customers", "The customer was deleted.", failedUrl: $"/customers/{id}");
    }
}

/// <summary>A tab of the customer page: its address (<c>?tab={Key}</c>) and what it is called.</summary>
public sealed record CustomerTab(string Key, string Label);

/// <summary>What the detail page shows: the customer, and whatever its open tab needs.</summary>
public sealed class CustomerView
{
    public required CustomerResponse Customer { get; init; }

    /// <summary>Every tab, the page's own and the contributed, in the order they are shown.</summary>
    public required IReadOnlyList<CustomerTab> Tabs { get; init; }

    /// <summary>The open tab's key.</summary>
    public required string Tab { get; init; }

    public string TabLabel => Tabs.First(t => t.Key == Tab).Label;

    public required UserDirectory Users { get; init; }

    public string? ParentName { get; init; }

    public AccountResponse? Account { get; set; }

    public int ContactCount { get; set; }

    /// <summary>The latest merge into this customer that can still be undone, offered as "Undo merge".</summary>
    public Merges.CustomerMerge? UndoableMerge { get; set; }

    /// <summary>Customers in reach that the duplicate review queue pairs with this one, open (for reviewers only).</summary>
    public IReadOnlyList<Guid> OpenDuplicates { get; set; } = [];

    public IReadOnlyList<ContactResponse>? Contacts { get; set; }

    /// <summary>The open tab's content, when another feature contributes it (<see cref="ICustomerTab"/>).</summary>
    public RenderFragment? ContributedTab { get; set; }

    public IReadOnlyList<AddressResponse>? Addresses { get; set; }

    public IReadOnlyList<RelationshipResponse>? Relationships { get; set; }

    public IReadOnlyDictionary<Guid, string> Names { get; set; } = new Dictionary<Guid, string>();

    public Page<AuditEntryResponse>? History { get; set; }

    /// <summary>The add-relationship form as posted, when it is shown again (matches to pick from, or errors).</summary>
    public FormValues? RelationshipForm { get; set; }

    public IReadOnlyList<CustomerResponse>? PickerMatches { get; set; }

    public IReadOnlyDictionary<string, string[]>? FormErrors { get; set; }

    public bool IsOrganization => Customer.Type == CustomerType.Organization;
}
