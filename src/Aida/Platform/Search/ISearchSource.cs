namespace Aida.Platform.Search;

/// <summary>
/// A kind of search document: its <paramref name="Name"/> as search_documents.kind and the API's
/// <c>kinds</c> spell it, and the <paramref name="Heading"/> over its group of results ("Interactions").
/// </summary>
public sealed record SearchKind(string Name, string Heading);

/// <summary>
/// What a feature contributes to global search: the kinds of document its records become (the triggers of
/// migration 0003 write them), the rule that hides matches the actor may not read, and where a hit opens.
/// Features register one each (<c>services.AddSingleton&lt;ISearchSource, …&gt;()</c> in their Add method);
/// <see cref="SearchSources"/> loops over them, so Platform names no feature.
/// </summary>
public interface ISearchSource
{
    /// <summary>The kinds this feature owns, in the order the results page shows them.</summary>
    IReadOnlyList<SearchKind> Kinds { get; }

    /// <summary>
    /// Narrows <paramref name="matches"/> to those the actor may read. It is composed into the one match
    /// query the index runs, so it must translate to SQL (an EXISTS against the feature's filtered records,
    /// never a read per match), and it is handed matches of every kind: a rule for its own kinds tests
    /// <see cref="SearchMatch.Kind"/>. Return <paramref name="matches"/> when reaching the customer is enough.
    /// </summary>
    IQueryable<SearchMatch> Visible(AidaDb db, IQueryable<SearchMatch> matches);

    /// <summary>Where a hit of one of <see cref="Kinds"/> opens in the web UI.</summary>
    string UrlOf(SearchHit hit);
}
