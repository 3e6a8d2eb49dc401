namespace Aida.Platform.Search;

/// <summary>A match's title and passage, with the matched words between the markers <see cref="FullTextSearch"/> gives.</summary>
public sealed record SearchHighlight(long Seq, string Title, string Snippet);

/// <summary>
/// A provider's full-text index over search_documents, which the triggers of migration 0003 keep current
/// (<see cref="Fts5SearchIndex"/>, <see cref="TsVectorSearchIndex"/>; the dialect says which). It speaks
/// its own match syntax; <see cref="FullTextSearch"/> decides what to ask and applies record-level access.
/// </summary>
public interface ISearchIndex
{
    /// <summary>The match expression: every term as a prefix, all required; optionally only in titles.</summary>
    string Match(IReadOnlyList<string> terms, bool titleOnly);

    /// <summary>Documents that match <paramref name="match"/> but not <paramref name="excluded"/>.</summary>
    string Except(string match, string excluded);

    /// <summary>How many documents match, counting no further than <paramref name="cap"/>.</summary>
    Task<int> CountUpToAsync(AidaDb db, string match, int cap, CancellationToken cancellationToken);

    /// <summary>Every match; scored (higher is better, title over body) only when <paramref name="ranked"/>.</summary>
    IQueryable<SearchMatch> Matches(AidaDb db, string match, bool ranked);

    /// <summary>The newest <paramref name="take"/> matches that pass <paramref name="visible"/>, unranked.</summary>
    Task<List<SearchMatch>> NewestAsync(
        AidaDb db, string match, Func<IQueryable<SearchMatch>, IQueryable<SearchMatch>> visible, int take, CancellationToken cancellationToken);

    /// <summary>Title and passage of the documents <paramref name="seqs"/>, matches between the two markers.</summary>
    Task<List<SearchHighlight>> HighlightAsync(
        AidaDb db, string match, long[] seqs, string start, string end, CancellationToken cancellationToken);

    /// <summary>Columns the index adds to search_documents, mapped so the model and the schema agree.</summary>
    void ConfigureModel(ModelBuilder modelBuilder);
}
