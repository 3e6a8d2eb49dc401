using Microsoft.AspNetCore.WebUtilities;

namespace Aida.Features.Customers.Pages;

/// <summary>The list's search, filters and sort as the address bar carries them, so a filtered list can be bookmarked and shared.</summary>
public sealed record CustomerFilters(string? Q, string? Status, string? Type, string? Source, string? Owner, string? Sort)
{
    public static CustomerFilters From(HttpRequest request)
    {
        string? Get(string name) => request.Query[name] is { Count: > 0 } v && !string.IsNullOrWhiteSpace(v[0]) ? v[0]!.Trim() : null;
        return new CustomerFilters(Get("q"), Get("status"), Get("type"), Get("source"), Get("owner"), Get("sort"));
    }

    /// <summary>The sort in force: the one chosen, else by name when searching (people scan results by name), else newest first.</summary>
    public string SortOrDefault => Sort ?? (Q is not null ? "displayName" : "-createdAt");

    public bool IsFiltered => Q is not null || Status is not null || Type is not null || Source is not null || Owner is not null;

    /// <summary>The list address with these filters, optionally another sort and a cursor.</summary>
    public string Url(string? cursor = null, string? sort = null)
    {
        var query = new Dictionary<string, string?>
        {
            ["q"] = Q,
            ["status"] = Status,
            ["type"] = Type,
            ["source"] = Source,
            ["owner"] = Owner,
            ["sort"] = sort ?? Sort,
            ["cursor"] = cursor,
        };
        return QueryHelpers.AddQueryString("/customers", query.Where(kv => kv.Value is not null));
    }

    /// <summary>The sort a column header links to: its field ascending, or descending when already ascending.</summary>
    public string SortLink(string field) => Url(sort: SortOrDefault == field ? "-" + field : field);

    /// <summary>aria-sort for a column header.</summary>
    public string? AriaSort(string field) =>
        SortOrDefault == field ? "ascending" : SortOrDefault == "-" + field ? "descending" : null;
}
