using Aida.Features.Customers.Contacts;
using Aida.Platform.Search;

namespace Aida.Features.Customers.Pages;

/// <summary>
/// The layout's search box: full-text search over the documents the features contribute (Platform/Search:
/// customers, contacts, interactions and notes), as suggestions while typing and as a results page grouped
/// by kind, in the order and under the headings the contributions give. The search honours record access
/// and each feature's visibility rules (note visibility).
/// </summary>
public static class SearchPages
{
    private const int SuggestionCount = 8;
    private const int ResultCount = SearchEndpoint.MaxLimit;

    public static async Task<IResult> Results(HttpContext http, AidaDb db, [FromServices] SearchSources sources, string? q, CancellationToken cancellationToken)
    {
        var found = await FindAsync(db, sources, q, ResultCount, cancellationToken);
        return Html.Page<SearchPage>(new { Context = UiContext.For(http), Query = q?.Trim() ?? "", Kinds = sources.Kinds, Found = found });
    }

    public static async Task<IResult> Suggestions(AidaDb db, [FromServices] SearchSources sources, string? q, CancellationToken cancellationToken)
    {
        var found = await FindAsync(db, sources, q, SuggestionCount, cancellationToken);
        return Html.Page<SearchSuggestions>(new { Query = q?.Trim() ?? "", Found = found });
    }

    public static async Task<IReadOnlyList<SearchResultItem>> FindAsync(
        AidaDb db, SearchSources sources, string? q, int limit, CancellationToken cancellationToken)
    {
        var terms = FullTextSearch.Terms(q is { Length: <= 200 } ? q : null);
        return terms.Count == 0 ? [] : (await SearchEndpoint.SearchAsync(db, sources, terms, null, null, limit, cancellationToken)).Items;
    }

    /// <summary>What people type into a contact search: an email when it has an @, else the start of a name.</summary>
    public static SearchContacts.Query ContactQuery(string? query, int? limit, string? cursor)
    {
        var byEmail = query?.Contains('@', StringComparison.Ordinal) == true;
        return new SearchContacts.Query(byEmail ? null : query, byEmail ? query : null, null, null, null, null, limit, cursor);
    }

    /// <summary>What the search box looks through, from the kinds' headings: "Customers, contacts, interactions and notes".</summary>
    public static string Scope(IReadOnlyList<SearchKind> kinds)
    {
        var words = kinds.Select((k, i) => i == 0 ? k.Heading : k.Heading.ToLowerInvariant()).ToList();
        return words.Count < 2 ? string.Concat(words) : string.Join(", ", words[..^1]) + " and " + words[^1];
    }

    /// <summary>The id of a group's heading on the results page ("interactions-found").</summary>
    public static string GroupId(SearchKind kind) => kind.Heading.ToLowerInvariant().Replace(' ', '-') + "-found";
}
