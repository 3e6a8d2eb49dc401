namespace Aida.Platform.Search;

public sealed record SearchResultItem(string Kind, Guid Id, Guid CustomerId, string CustomerName, string TitleHtml, string SnippetHtml, string Url);

public sealed record SearchResults(IReadOnlyList<SearchResultItem> Items, IReadOnlyList<string> Terms);

/// <summary>
/// GET /api/v1/search: full-text search over the documents the features contribute (<see cref="ISearchSource"/>:
/// customers, contacts, interactions by subject and description, notes), as the actor may see them. Every
/// word of the query must begin a word of the record ("ann smi" finds Anna Smith), so it works as type-ahead.
/// <c>titleHtml</c> and <c>snippetHtml</c> are HTML-escaped text with the matches in &lt;mark&gt;.
/// </summary>
public static class SearchEndpoint
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 50;

    public static async Task<Results<Ok<SearchResults>, ValidationProblem>> Handle(
        string? q, string? kinds, Guid? customerId, int? limit, AidaDb db, [FromServices] SearchSources sources, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var terms = FullTextSearch.Terms(q);
        if (string.IsNullOrWhiteSpace(q))
        {
            errors.Add("q", "Is required.");
        }
        else if (terms.Count == 0)
        {
            errors.Add("q", $"Needs a word of at least {FullTextSearch.MinTermLength} letters or digits.");
        }

        var wanted = (kinds ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        if (wanted.Any(k => !sources.Names.Contains(k)))
        {
            errors.Add("kinds", "Each must be one of " + string.Join(", ", sources.Names) + ".");
        }

        var take = limit ?? DefaultLimit;
        if (take is < 1 or > MaxLimit)
        {
            errors.Add("limit", $"Must be between 1 and {MaxLimit}.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        return TypedResults.Ok(await SearchAsync(db, sources, terms, wanted, customerId, take, cancellationToken));
    }

    public static async Task<SearchResults> SearchAsync(
        AidaDb db, SearchSources sources, IReadOnlyList<string> terms, IReadOnlyCollection<string>? kinds, Guid? customerId, int take,
        CancellationToken cancellationToken)
    {
        var hits = await FullTextSearch.SearchAsync(db, sources, terms, kinds, customerId, take, cancellationToken);
        var customerIds = hits.Select(h => h.CustomerId).Distinct().ToList();
        var names = await sources.CustomerNamesAsync(db, customerIds, cancellationToken);
        var items = hits.Select(h => new SearchResultItem(
            h.Kind, h.RecordId, h.CustomerId, names.GetValueOrDefault(h.CustomerId, ""),
            h.TitleHtml.Length > 0 ? h.TitleHtml : "(untitled)", h.SnippetHtml, sources.UrlOf(h))).ToList();
        return new SearchResults(items, terms);
    }
}
