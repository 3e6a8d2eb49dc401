namespace Aida.Platform.Search;

/// <summary>SQLite's FTS5 table search_fts over search_documents (title, body, and unindexed columns).</summary>
public sealed class Fts5SearchIndex : ISearchIndex
{
    /// <summary>Every term as a quoted prefix ("smi"*), all required; optionally only in the title column.</summary>
    public string Match(IReadOnlyList<string> terms, bool titleOnly)
    {
        var all = string.Join(" AND ", terms.Select(t => "\"" + t + "\"*"));
        return titleOnly ? "title : (" + all + ")" : all;
    }

    public string Except(string match, string excluded) => $"({match}) NOT ({excluded})";

    public async Task<int> CountUpToAsync(AidaDb db, string match, int cap, CancellationToken cancellationToken) =>
        await db.Database.SqlQuery<int>($"""
            SELECT count(*) AS "Value" FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH {match} LIMIT {cap})
            """).SingleAsync(cancellationToken);

    /// <summary>
    /// Unranked (broad queries, read newest first) it computes no score: bm25() counts every row that
    /// matches each term before it scores the first one, so merely selecting it made the broad path read
    /// all ~160,000 title matches of 'smi' (1M interactions: 40–77 ms for 20 rows, 0.5 ms without it).
    /// </summary>
    public IQueryable<SearchMatch> Matches(AidaDb db, string match, bool ranked) => ranked
        // bm25 is lower-is-better; weights: title 10, body 1 (the unindexed columns take no part).
        ? db.Set<SearchMatch>().FromSql($"""
            SELECT rowid AS seq, kind, record_id, customer_id, -bm25(search_fts, 10.0, 1.0, 0.0, 0.0, 0.0) AS score
            FROM search_fts WHERE search_fts MATCH {match}
            """)
        : db.Set<SearchMatch>().FromSql($"""
            SELECT rowid AS seq, kind, record_id, customer_id, 0.0 AS score
            FROM search_fts WHERE search_fts MATCH {match}
            """);

    /// <summary>FTS5 hands out matches newest first from its doclists: the walk stops after the page.</summary>
    public async Task<List<SearchMatch>> NewestAsync(
        AidaDb db, string match, Func<IQueryable<SearchMatch>, IQueryable<SearchMatch>> visible, int take, CancellationToken cancellationToken) =>
        await visible(Matches(db, match, ranked: false))
            .OrderByDescending(m => m.Seq).Take(take).ToListAsync(cancellationToken);

    /// <summary>
    /// One statement for the page. It was one per result (MATCH … AND rowid = ?), and FTS5 evaluates the
    /// whole query for each: a prefix longer than the prefix index ("smith"*) gathers every matching
    /// term's rows each time (~35 ms at 1M interactions), so 20 results cost 700 ms. The rowid range lets
    /// FTS5 skip to the page; the unary + keeps the IN list from being handed to FTS5 as 20 separate
    /// lookups, so highlight and snippet run only for the page's rows.
    /// </summary>
    public async Task<List<SearchHighlight>> HighlightAsync(
        AidaDb db, string match, long[] seqs, string start, string end, CancellationToken cancellationToken)
    {
        var (low, high) = (seqs.Min(), seqs.Max());
        var list = "[" + string.Join(",", seqs) + "]";
        return await db.Database.SqlQuery<SearchHighlight>($"""
            SELECT rowid AS "Seq", highlight(search_fts, 0, {start}, {end}) AS "Title",
                   snippet(search_fts, 1, {start}, {end}, '…', 16) AS "Snippet"
            FROM search_fts
            WHERE search_fts MATCH {match} AND rowid BETWEEN {low} AND {high}
              AND +rowid IN (SELECT value FROM json_each({list}))
            """).ToListAsync(cancellationToken);
    }

    /// <summary>FTS5 keeps its index in tables of its own, outside the model.</summary>
    public void ConfigureModel(ModelBuilder modelBuilder)
    {
    }
}
