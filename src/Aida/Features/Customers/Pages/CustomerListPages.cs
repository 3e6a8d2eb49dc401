namespace Aida.Features.Customers.Pages;

/// <summary>
/// CustomerList (spec 002 screens): search, filters, sortable columns, cursor paging that htmx turns into
/// infinite scroll, and bulk actions — assign owner, change status, delete — behind a confirmation page.
/// The list is the API's list handler, so it is as fast at 100,000 customers as the API.
/// </summary>
public static class CustomerListPages
{
    public const int MaxBulk = 200;

    public static async Task<IResult> List(HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        var filters = CustomerFilters.From(http.Request);
        var users = await UserDirectory.LoadAsync(db, cancellationToken);
        var ownerId = filters.Owner switch
        {
            null => (Guid?)null,
            "me" => db.Operation.ActorId,
            var text => Guid.TryParse(text, out var id) ? id : Guid.Empty,
        };
        var result = await ListCustomers.RunAsync(
            new ListCustomers.Query(filters.Q, filters.Status, filters.Type, filters.Source, ownerId, null, null,
                filters.SortOrDefault, null, http.Request.Query["cursor"]),
            db, cancellationToken);
        var parameters = new
        {
            Context = UiContext.For(http),
            Filters = filters,
            Customers = result.Value,
            Errors = result.Failure?.FieldErrors,
            Users = users,
        };
        var status = result.Succeeded ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest;
        // htmx asks for the part it replaces: the results when a filter changes, the next rows when scrolling.
        return http.Request.Headers["HX-Target"].ToString() switch
        {
            "customer-results" when Html.IsHtmx(http.Request) => Html.Page<CustomerResults>(parameters, status),
            "load-more" when Html.IsHtmx(http.Request) =>
                Html.Page<CustomerRows>(new { parameters.Context, parameters.Filters, parameters.Customers, parameters.Users }, status),
            _ => Html.Page<CustomerListPage>(parameters, status),
        };
    }

    /// <summary>Step one of a bulk action: say exactly what will happen to which customers, and ask.</summary>
    public static async Task<IResult> Confirm(HttpContext http, AidaDb db, IFormCollection form, CancellationToken cancellationToken)
    {
        var (bulk, refused) = await ReadAsync(http, db, form, cancellationToken);
        return refused ?? await ConfirmPageAsync(http, db, bulk, null, cancellationToken);
    }

    /// <summary>Step two: all of it in one transaction, or — if any customer refuses the change — none of it.</summary>
    public static async Task<IResult> Apply(
        HttpContext http, AidaDb db, [FromServices] IEnumerable<ICustomerDependents> dependents, IFormCollection form, CancellationToken cancellationToken)
    {
        var (bulk, refused) = await ReadAsync(http, db, form, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        var failures = new List<string>();
        await using (var transaction = await db.BeginWriteAsync(cancellationToken))
        {
            foreach (var customer in bulk.Customers)
            {
                var ifMatch = ETags.For(customer.Version);
                var failure = bulk.Action == BulkAction.Delete
                    ? (await DeleteCustomer.RunAsync(customer.Id, ifMatch, db, dependents, cancellationToken)).Failure
                    : (await UpdateCustomer.RunAsync(customer.Id, bulk.ToUpdate(), ifMatch, db, cancellationToken)).Failure;
                if (failure is not null)
                {
                    failures.Add($"{customer.DisplayName}: {Reason(failure)}");
                }
            }

            if (failures.Count == 0)
            {
                await transaction.CommitAsync(cancellationToken);
            }
        }

        if (failures.Count > 0)
        {
            db.ChangeTracker.Clear();
            return await ConfirmPageAsync(http, db, bulk, failures, cancellationToken);
        }

        return Html.Done(http, bulk.ReturnUrl, bulk.Summary(done: true));
    }

    /// <summary>
    /// The posted bulk action, or what to answer instead: back to the list with the reason when the form
    /// is incomplete, 403 for a delete by someone who may edit (which lets them here) but not delete.
    /// </summary>
    private static async Task<(BulkRequest Bulk, IResult? Refused)> ReadAsync(HttpContext http, AidaDb db, IFormCollection form, CancellationToken cancellationToken)
    {
        var bulk = await BulkRequest.ReadAsync(form, db, cancellationToken);
        if (bulk.Problem is { } problem)
        {
            Flash.Set(http, FlashKind.Error, problem);
            return (bulk, TypedResults.Redirect(bulk.ReturnUrl));
        }

        return bulk.Action == BulkAction.Delete && !db.Operation.Access.Can(Permissions.CustomersDelete)
            ? (bulk, Html.Forbidden(http, "Your role does not allow deleting customers."))
            : (bulk, null);
    }

    private static string Reason(Failure failure) =>
        failure is Failure.Stale
            ? "was changed by someone else meanwhile; review it and try again."
            : string.Join(" ", failure.FieldErrors.SelectMany(e => e.Value));

    private static async Task<IResult> ConfirmPageAsync(HttpContext http, AidaDb db, BulkRequest bulk, IReadOnlyList<string>? failures, CancellationToken cancellationToken) =>
        Html.Page<BulkConfirmPage>(new
        {
            Context = UiContext.For(http),
            Bulk = bulk,
            Failures = failures,
            Users = await UserDirectory.LoadAsync(db, cancellationToken),
        }, failures is null ? StatusCodes.Status200OK : StatusCodes.Status409Conflict);
}

public enum BulkAction
{
    AssignOwner,
    ChangeStatus,
    Delete,
}

/// <summary>A bulk action as the list's form posts it: which customers, what to do, and where to go back to.</summary>
public sealed record BulkRequest(
    BulkAction Action,
    IReadOnlyList<BulkRequest.Target> Customers,
    Guid? OwnerId,
    string? OwnerName,
    CustomerStatus? Status,
    string ReturnUrl,
    string? Problem)
{
    public sealed record Target(Guid Id, string DisplayName, int Version);

    public static async Task<BulkRequest> ReadAsync(IFormCollection form, AidaDb db, CancellationToken cancellationToken)
    {
        var returnUrl = form["returnUrl"].ToString() is var r && r.StartsWith("/customers", StringComparison.Ordinal) && !r.StartsWith("//", StringComparison.Ordinal) ? r : "/customers";
        var values = new FormValues(form);
        var action = values.Enum<BulkAction>("action");
        var ids = form["ids"].Select(v => Guid.TryParse(v, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty).Distinct().ToList();
        Guid? ownerId = null;
        string? ownerName = null;
        CustomerStatus? status = null;
        string? problem = null;
        if (ids.Count == 0)
        {
            problem = "Select at least one customer first.";
        }
        else if (ids.Count > CustomerListPages.MaxBulk)
        {
            problem = $"Select at most {CustomerListPages.MaxBulk} customers at a time.";
        }
        else if (action is null)
        {
            problem = "Choose what to do with the selected customers.";
        }
        else if (action == BulkAction.AssignOwner)
        {
            ownerId = values.Id("ownerId");
            ownerName = ownerId is { } o ? await db.Set<User>().Where(u => u.Id == o).Select(u => u.DisplayName).FirstOrDefaultAsync(cancellationToken) : null;
            problem = ownerName is null ? "Choose the owner to assign the selected customers to." : null;
        }
        else if (action == BulkAction.ChangeStatus)
        {
            status = values.Enum<CustomerStatus>("status");
            problem = status is null ? "Choose the status to give the selected customers." : null;
        }

        // Only customers the actor can see are touched; the query filters drop the rest.
        var customers = problem is null
            ? await db.Set<Customer>().AsNoTracking().Where(c => ids.Contains(c.Id))
                .OrderBy(c => c.SearchName).Select(c => new Target(c.Id, c.DisplayName, c.Version)).ToListAsync(cancellationToken)
            : [];
        if (problem is null && customers.Count == 0)
        {
            problem = "None of the selected customers exists any more.";
        }

        return new BulkRequest(action ?? BulkAction.AssignOwner, customers, ownerId, ownerName, status, returnUrl, problem);
    }

    public UpdateCustomer.Request ToUpdate() => Action switch
    {
        BulkAction.AssignOwner => new UpdateCustomer.Request(default, default, default, default, default, OwnerId, default),
        _ => new UpdateCustomer.Request(default, default, Status!.Value, default, default, default, default),
    };

    public string Summary(bool done)
    {
        var count = Customers.Count == 1 ? "1 customer" : $"{Customers.Count} customers";
        return (Action, done) switch
        {
            (BulkAction.AssignOwner, false) => $"Assign {count} to {OwnerName}?",
            (BulkAction.AssignOwner, true) => $"{count} assigned to {OwnerName}.",
            (BulkAction.ChangeStatus, false) => $"Change the status of {count} to {Choices.Label(Status!.Value)}?",
            (BulkAction.ChangeStatus, true) => $"{count} changed to {Choices.Label(Status!.Value)}.",
            (BulkAction.Delete, false) => $"Delete {count}? Their contacts, addresses, accounts and relationships are deleted with them.",
            _ => $"{count} deleted.",
        };
    }
}
