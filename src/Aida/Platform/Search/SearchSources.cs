namespace Aida.Platform.Search;

/// <summary>
/// The registered <see cref="ISearchSource"/>s and the <see cref="ISearchCustomers"/>, as one: the kinds
/// search knows (in registration order, which Program.cs sets), the visibility of a match, and where a hit
/// opens. Registered by Platform; the features only contribute.
/// </summary>
public sealed class SearchSources
{
    private readonly IReadOnlyList<ISearchSource> _sources;
    private readonly ISearchCustomers _customers;
    private readonly Dictionary<string, ISearchSource> _byKind;

    public SearchSources(IEnumerable<ISearchSource> sources, ISearchCustomers customers)
    {
        _sources = sources.ToList();
        _customers = customers;
        _byKind = _sources.SelectMany(s => s.Kinds.Select(k => (k.Name, Source: s))).ToDictionary(p => p.Name, p => p.Source, StringComparer.Ordinal);
        Kinds = _sources.SelectMany(s => s.Kinds).ToList();
        Names = Kinds.Select(k => k.Name).ToList();
    }

    /// <summary>Every kind of document, in the order the results page groups them.</summary>
    public IReadOnlyList<SearchKind> Kinds { get; }

    /// <summary>The kinds as the API spells them.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>
    /// The customer's reach first, then each source's rule: each adds its condition to the same query, so the
    /// index still runs one statement whatever the number of sources.
    /// </summary>
    public IQueryable<SearchMatch> Visible(AidaDb db, IQueryable<SearchMatch> matches)
    {
        var visible = _customers.Reachable(db, matches);
        foreach (var source in _sources)
        {
            visible = source.Visible(db, visible);
        }

        return visible;
    }

    /// <summary>The migration's triggers write only the kinds the sources own; a kind no source owns has no page to open.</summary>
    public string UrlOf(SearchHit hit) => _byKind.TryGetValue(hit.Kind, out var source) ? source.UrlOf(hit) : "";

    public Task<Dictionary<Guid, string>> CustomerNamesAsync(AidaDb db, IReadOnlyCollection<Guid> customerIds, CancellationToken cancellationToken) =>
        _customers.NamesAsync(db, customerIds, cancellationToken);
}
