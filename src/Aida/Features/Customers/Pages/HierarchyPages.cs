namespace Aida.Features.Customers.Pages;

/// <summary>
/// AccountHierarchy: the organization's place in its parent/child tree, from the top, and moving it
/// under another organization (or to the top). A move that would make the tree circular is refused
/// by the same check as the API's, with its message.
/// </summary>
public static class HierarchyPages
{
    /// <summary>Trees this size cover real corporate groups; a bigger one is cut off with a note.</summary>
    public const int MaxNodes = 500;

    private const int MaxDepth = 50;

    public static async Task<IResult> Show(Guid id, HttpContext http, AidaDb db, CancellationToken cancellationToken) =>
        await PageAsync(id, http, db, null, null, null, StatusCodes.Status200OK, cancellationToken);

    public static async Task<IResult> Move(Guid id, HttpContext http, AidaDb db, IFormCollection form, CancellationToken cancellationToken)
    {
        var values = new FormValues(form);
        if (values["find"] == "parentId")
        {
            var matches = await CustomerPicking.MatchesAsync(db, values["parentId.search"], id, true, cancellationToken);
            return await PageAsync(id, http, db, values, matches, null, StatusCodes.Status200OK, cancellationToken);
        }

        var toTop = values["move"] == "top";
        var parentId = toTop ? null : values.Id("parentId");
        if (!toTop && parentId is null && !values.Errors.Any)
        {
            values.Errors.Add("parentId", "Choose the organization to move this one under.");
        }

        if (values.Errors.Any)
        {
            return await PageAsync(id, http, db, values, null, values.OwnErrors, StatusCodes.Status400BadRequest, cancellationToken);
        }

        var result = await UpdateCustomer.RunAsync(id,
            new UpdateCustomer.Request(default, default, default, default, default, default, parentId), values.IfMatch ?? "", db, cancellationToken);
        return result.Failure switch
        {
            null => Html.Done(http, $"/customers/{id}/hierarchy", toTop ? "The organization is now at the top level." : "The organization was moved."),
            Failure.NotFound => Html.NotFound(http, "customer"),
            Failure.Stale stale => await PageAsync(id, http, db, values, null,
                new Dictionary<string, string[]> { [""] = ["Someone else changed this organization meanwhile; the tree below is as it is now. Try the move again."] },
                stale.StatusCode, cancellationToken),
            var failure => await PageAsync(id, http, db, values, null, values.With(failure.FieldErrors), failure.StatusCode, cancellationToken),
        };
    }

    private static async Task<IResult> PageAsync(Guid id, HttpContext http, AidaDb db, FormValues? values, IReadOnlyList<CustomerResponse>? matches,
        IReadOnlyDictionary<string, string[]>? errors, int status, CancellationToken cancellationToken)
    {
        // A refused move shows the picker as it was: the same search, its matches, the choice made.
        matches ??= values?["parentId.search"] is { } search ? await CustomerPicking.MatchesAsync(db, search, id, true, cancellationToken) : null;
        var customer = await CustomerPages.FindAsync(db, id, cancellationToken);
        if (customer is null)
        {
            return Html.NotFound(http, "customer");
        }

        var (root, truncated) = await TreeAsync(db, customer, cancellationToken);
        return Html.Page<HierarchyPage>(new
        {
            Context = UiContext.For(http),
            Customer = customer,
            Root = root,
            Truncated = truncated,
            Values = values ?? new FormValues(new Dictionary<string, string?>()),
            Version = customer.Version.ToString(CultureInfo.InvariantCulture),
            Matches = matches,
            Errors = errors,
        }, status);
    }

    /// <summary>Up from the customer to the top visible ancestor, then down level by level.</summary>
    public static async Task<(HierarchyNode Root, bool Truncated)> TreeAsync(AidaDb db, CustomerResponse customer, CancellationToken cancellationToken)
    {
        var top = new HierarchyNode(customer.Id, customer.DisplayName, customer.Status);
        var parentId = customer.ParentId;
        var seen = new HashSet<Guid> { customer.Id };
        for (var depth = 0; parentId is { } next && depth < MaxDepth && seen.Add(next); depth++)
        {
            var parent = await db.Set<Customer>().AsNoTracking().Where(c => c.Id == next)
                .Select(c => new { c.Id, c.DisplayName, c.Status, c.ParentId }).FirstOrDefaultAsync(cancellationToken);
            if (parent is null)
            {
                // Above here the tree is outside the actor's reach.
                break;
            }

            top = new HierarchyNode(parent.Id, parent.DisplayName, parent.Status);
            parentId = parent.ParentId;
        }

        var nodes = new Dictionary<Guid, HierarchyNode> { [top.Id] = top };
        var level = new List<Guid> { top.Id };
        var truncated = false;
        while (level.Count > 0 && !truncated)
        {
            var ids = level;
            var children = await db.Set<Customer>().AsNoTracking().Where(c => c.ParentId != null && ids.Contains(c.ParentId.Value))
                .OrderBy(c => c.SearchName).Select(c => new { c.Id, c.DisplayName, c.Status, c.ParentId })
                .Take(MaxNodes + 1 - nodes.Count).ToListAsync(cancellationToken);
            level = [];
            foreach (var child in children)
            {
                if (nodes.Count >= MaxNodes)
                {
                    truncated = true;
                    break;
                }

                if (!nodes.ContainsKey(child.Id))
                {
                    var node = new HierarchyNode(child.Id, child.DisplayName, child.Status);
                    nodes[child.Id] = node;
                    nodes[child.ParentId!.Value].Children.Add(node);
                    level.Add(child.Id);
                }
            }
        }

        return (top, truncated);
    }
}

public sealed record HierarchyNode(Guid Id, string Name, CustomerStatus Status)
{
    public List<HierarchyNode> Children { get; } = [];
}
