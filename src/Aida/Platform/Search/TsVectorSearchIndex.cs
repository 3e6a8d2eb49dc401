namespace Aida.Platform.Search;

/// <summary>PostgreSQL's weighted tsvector column search_documents.document (title A, body B) with a GIN index.</summary>
public sealed class TsVectorSearchIndex : ISearchIndex
{
    /// <summary>How many of the newest documents are tested one by one before the GIN index is used (<see cref="NewestAsync"/>).</summary>
    private const int RecentRows = 20_000;

    /// <summary>Every term as a prefix (smi:*), all required; weight A is the title.</summary>
    public string Match(IReadOnlyList<string> terms, bool titleOnly) =>
        string.Join(" & ", terms.Select(t => t + (titleOnly ? ":*A" : ":*")));

    public string Except(string match, string excluded) => $"({match}) & !({excluded})";

    public async Task<int> CountUpToAsync(AidaDb db, string match, int cap, CancellationToken cancellationToken) =>
        await db.Database.SqlQuery<int>($"""
            SELECT count(*)::int AS "Value" FROM (
                SELECT 1 FROM search_documents WHERE document @@ to_tsquery('simple', {match}) LIMIT {cap}) AS m
            """).SingleAsync(cancellationToken);

    /// <summary>Unranked, ts_rank is not computed: it has no start-up cost, but is not needed either.</summary>
    public IQueryable<SearchMatch> Matches(AidaDb db, string match, bool ranked) => ranked
        ? db.Set<SearchMatch>().FromSql($"""
            SELECT d.seq, d.kind, d.record_id, d.customer_id, ts_rank(d.document, q.query)::float8 AS score
            FROM search_documents d, to_tsquery('simple', {match}) AS q(query)
            WHERE d.document @@ q.query
            """)
        // OFFSET 0 fences the subquery: its matches come from the GIN index and are sorted afterwards.
        : db.Set<SearchMatch>().FromSql($"""
            SELECT d.seq, d.kind, d.record_id, d.customer_id, 0.0::float8 AS score
            FROM search_documents d
            WHERE d.document @@ to_tsquery('simple', {match})
            OFFSET 0
            """);

    /// <summary>
    /// PostgreSQL walks the primary key backwards and tests each row, which is quick when matches are
    /// common among the newest rows, and reads the whole table when they are common only among old ones:
    /// 'llc' (12,700 company names, none in the 1,000,000 newer interactions) took 550–690 ms. So: the
    /// walk, bounded to the newest rows; if that does not fill the page, every match through the GIN
    /// index, sorted (the fence keeps the planner from choosing the walk again): 10–20 ms then.
    /// </summary>
    public async Task<List<SearchMatch>> NewestAsync(
        AidaDb db, string match, Func<IQueryable<SearchMatch>, IQueryable<SearchMatch>> visible, int take, CancellationToken cancellationToken)
    {
        var newest = await db.Set<SearchDocument>().MaxAsync(d => (long?)d.Seq, cancellationToken) ?? 0;
        var recent = await visible(RecentMatches(db, match, newest - RecentRows))
            .OrderByDescending(m => m.Seq).Take(take).ToListAsync(cancellationToken);
        return recent.Count == take
            ? recent
            : await visible(Matches(db, match, ranked: false))
                .OrderByDescending(m => m.Seq).Take(take).ToListAsync(cancellationToken);
    }

    private static IQueryable<SearchMatch> RecentMatches(AidaDb db, string match, long after) => db.Set<SearchMatch>().FromSql($"""
        SELECT d.seq, d.kind, d.record_id, d.customer_id, 0.0::float8 AS score
        FROM search_documents d
        WHERE d.seq > {after} AND d.document @@ to_tsquery('simple', {match})
        """);

    public async Task<List<SearchHighlight>> HighlightAsync(
        AidaDb db, string match, long[] seqs, string start, string end, CancellationToken cancellationToken)
    {
        return await db.Database.SqlQuery<SearchHighlight>($"""
            SELECT d.seq AS "Seq",
                   ts_headline('simple', d.title, q.query, 'HighlightAll=true, StartSel=' || {start} || ', StopSel=' || {end}) AS "Title",
                   ts_headline('simple', d.body, q.query, 'MaxWords=24, MinWords=8, StartSel=' || {start} || ', StopSel=' || {end}) AS "Snippet"
            FROM search_documents d, to_tsquery('simple', {match}) AS q(query)
            WHERE d.seq = ANY({seqs})
            """).ToListAsync(cancellationToken);
    }

    /// <summary>The weighted tsvector the GIN index serves, computed by PostgreSQL itself.</summary>
    public void ConfigureModel(ModelBuilder modelBuilder) =>
        modelBuilder.Entity<SearchDocument>().Property<NpgsqlTypes.NpgsqlTsVector>("Document")
            .IsRequired().HasColumnType("tsvector").HasComputedColumnSql("setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', body), 'B')", stored: true);
}
