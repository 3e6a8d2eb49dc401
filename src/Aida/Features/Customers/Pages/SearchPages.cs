using Aida.Features.Customers.Contacts;
using Aida.Platform.Search;

namespace Aida.Features.Customers.Pages;

/// <summary>
/// The layout's search box: full-text search over customers, contacts, interactions and notes
/// (Platform/Search), as suggestions while typing and as a results page grouped by kind. The search
/// honours record access and note visibility.
/// </summary>
public static class SearchPages
{
    private const int SuggestionCount = 8;
    private const int ResultCount = SearchEndpoint.MaxLimit;

    public static async Task<IResult> Results(HttpContext http, AidaDb db, string? q, CancellationToken cancellationToken)
    {
        var found = await FindAsync(db, q, ResultCount, cancellationToken);
        return Html.Page<SearchPage>(new { Context = UiContext.For(http), Query = q?.Trim() ?? "", Found = found });
    }

    public static async Task<IResult> Suggestions(AidaDb db, string? q, CancellationToken cancellationToken)
    {
        var found = await FindAsync(db, q, SuggestionCount, cancellationToken);
        return Html.Page<SearchSuggestions>(new { Query = q?.Trim() ?? "", Found = found });
    }

    public static async Task<IReadOnlyList<SearchResultItem>> FindAsync(AidaDb db, string? q, int limit, CancellationToken cancellationToken)
    {
        var terms = FullTextSearch.Terms(q is { Length: <= 200 } ? q : null);
        return terms.Count == 0 ? [] : (await SearchEndpoint.SearchAsync(db, terms, null, null, limit, cancellationToken)).Items;
    }

    /// <summary>What people type into a contact search: an email when it has an @, else the start of a name.</summary>
    public static SearchContacts.Query ContactQuery(string? query, int? limit, string? cursor)
    {
        var byEmail = query?.Contains('@', StringComparison.Ordinal) == true;
        return new SearchContacts.Query(byEmail ? null : query, byEmail ? query : null, null, null, null, null, limit, cursor);
    }

    /// <summary>The groups of the results page, in the order they are shown.</summary>
    public static readonly (string Kind, string Heading, string Id)[] Groups =
    [
        ("customer", "Customers", "customers-found"),
        ("contact", "Contacts", "contacts-found"),
        ("interaction", "Interactions", "interactions-found"),
        ("note", "Notes", "notes-found"),
    ];
}
