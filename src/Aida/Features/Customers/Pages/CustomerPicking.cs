namespace Aida.Features.Customers.Pages;

/// <summary>The customer picker's matches: a name prefix, an email or an external id, through the list use case (so only customers in reach).</summary>
public static class CustomerPicking
{
    public const int MaxMatches = 8;

    public static async Task<IReadOnlyList<CustomerResponse>> MatchesAsync(AidaDb db, string? query, Guid? exclude, bool organizationsOnly, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(query) || query.Length > 200)
        {
            return [];
        }

        var page = (await ListCustomers.RunAsync(
            new ListCustomers.Query(query, null, organizationsOnly ? "organization" : null, null, null, null, null, "displayName", MaxMatches + 1, null),
            db, cancellationToken)).Value;
        return page?.Items.Where(c => c.Id != exclude).Take(MaxMatches).ToList() ?? [];
    }

    /// <summary>GET /customers/picker: the matches as the picker's options, for htmx.</summary>
    public static async Task<IResult> Suggest(HttpContext http, AidaDb db, string name, Guid? exclude, string? type, CancellationToken cancellationToken)
    {
        var query = http.Request.Query[name + ".search"].ToString();
        var matches = await MatchesAsync(db, query, exclude, type == "organization", cancellationToken);
        return Html.Page<CustomerPickerOptions>(new { Name = name, Matches = matches, Searched = query.Length > 0 });
    }
}
