using System.Net;
using System.Text;
using Aida.Features.Customers;
using Aida.Features.Interactions.Notes;
using Aida.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Aida.Platform.Search;

/// <summary>A search result: the record, its customer, and its title and a passage with the matches marked.</summary>
public sealed record SearchHit(string Kind, Guid RecordId, Guid CustomerId, double Score, string TitleHtml, string SnippetHtml);

/// <summary>
/// The one full-text search seam: FTS5 on SQLite, a weighted tsvector with GIN on PostgreSQL, over the
/// documents the triggers of migration 0003 keep current. Results honour record-level access and note
/// visibility because the match query is composed with the same query filters every other read uses.
/// <para>
/// Ranking is bounded (LIMITS.md: scoring every match of a broad prefix over 1M rows takes ~200 ms).
/// A query with fewer than <see cref="RankedLimit"/> matches is ranked by relevance (bm25 / ts_rank,
/// title weighted over body). A broader query is not scored: matches in a title (a customer's or
/// contact's name, an interaction's subject, a note's title) come first, then matches in the body, each
/// newest first — what someone typing a common prefix most likely wants, found in an index walk that
/// stops after a page.
/// </para>
/// </summary>
public static class FullTextSearch
{
    public const int RankedLimit = 1000;
    public const int MaxTerms = 8;
    public const int MinTermLength = 2;

    private const char MarkStart = '\uE000';
    private const char MarkEnd = '\uE001';

    /// <summary>Letter-or-digit runs of the query, lower-cased; nothing else reaches the match syntax.</summary>
    public static IReadOnlyList<string> Terms(string? query)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            return [];
        }

        var terms = new List<string>();
        var current = new StringBuilder();
        foreach (var c in query.Normalize(NormalizationForm.FormC))
        {
            if (char.IsLetterOrDigit(c))
            {
                current.Append(char.ToLowerInvariant(c));
            }
            else if (current.Length > 0)
            {
                terms.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            terms.Add(current.ToString());
        }

        return terms.Where(t => t.Length >= MinTermLength).Distinct().Take(MaxTerms).ToList();
    }

    public static async Task<IReadOnlyList<SearchHit>> SearchAsync(
        AidaDb db, IReadOnlyList<string> terms, IReadOnlyCollection<string>? kinds, Guid? customerId, int limit, CancellationToken cancellationToken)
    {
        if (terms.Count == 0)
        {
            return [];
        }

        var postgres = db.Provider == DatabaseProvider.Postgres;
        var everywhere = postgres ? TsQuery(terms, titleOnly: false) : FtsQuery(terms, titleOnly: false);
        var narrow = await CountUpToAsync(db, everywhere, RankedLimit, cancellationToken) < RankedLimit;

        List<SearchMatch> matches;
        if (narrow)
        {
            matches = await Visible(db, Matches(db, everywhere, ranked: true), kinds, customerId)
                .OrderByDescending(m => m.Score).ThenByDescending(m => m.Seq)
                .Take(limit).ToListAsync(cancellationToken);
        }
        else
        {
            var titleOnly = postgres ? TsQuery(terms, titleOnly: true) : FtsQuery(terms, titleOnly: true);
            matches = await NewestAsync(db, titleOnly, kinds, customerId, limit, cancellationToken);
            if (matches.Count < limit)
            {
                // Every visible title match is in hand, so the rest are the matches without one: asking for
                // just those spares re-reading (and re-checking access to) each title match. For an actor
                // who reaches few customers, most title matches fail the check, and checking each one is
                // what a broad search costs them (a rep reaching 1%: 1,260 title matches for 'mue').
                var rest = postgres ? $"({everywhere}) & !({titleOnly})" : $"({everywhere}) NOT ({titleOnly})";
                matches.AddRange(await NewestAsync(db, rest, kinds, customerId, limit - matches.Count, cancellationToken));
            }
        }

        var marked = await HighlightAsync(db, everywhere, matches.Select(m => m.Seq).ToArray(), cancellationToken);
        return matches.Select(m =>
        {
            var (title, snippet) = marked.GetValueOrDefault(m.Seq, ("", ""));
            return new SearchHit(m.Kind, m.RecordId, m.CustomerId, m.Score, ToHtml(title), ToHtml(snippet));
        }).ToList();
    }

    /// <summary>The newest visible matches, unranked.</summary>
    private static async Task<List<SearchMatch>> NewestAsync(
        AidaDb db, string match, IReadOnlyCollection<string>? kinds, Guid? customerId, int take, CancellationToken cancellationToken)
    {
        if (db.Provider != DatabaseProvider.Postgres)
        {
            // FTS5 hands out matches newest first from its doclists: the walk stops after the page.
            return await Visible(db, Matches(db, match, ranked: false), kinds, customerId)
                .OrderByDescending(m => m.Seq).Take(take).ToListAsync(cancellationToken);
        }

        // PostgreSQL walks the primary key backwards and tests each row, which is quick when matches are
        // common among the newest rows, and reads the whole table when they are common only among old
        // ones: 'llc' (12,700 company names, none in the 1,000,000 newer interactions) took 550–690 ms.
        // So: the walk, bounded to the newest rows; if that does not fill the page, every match through
        // the GIN index, sorted (the fence keeps the planner from choosing the walk again): 10–20 ms then.
        var newest = await db.Set<SearchDocument>().MaxAsync(d => (long?)d.Seq, cancellationToken) ?? 0;
        var recent = await Visible(db, RecentMatches(db, match, newest - RecentRows), kinds, customerId)
            .OrderByDescending(m => m.Seq).Take(take).ToListAsync(cancellationToken);
        return recent.Count == take
            ? recent
            : await Visible(db, Matches(db, match, ranked: false), kinds, customerId)
                .OrderByDescending(m => m.Seq).Take(take).ToListAsync(cancellationToken);
    }

    /// <summary>How many of the newest documents PostgreSQL tests one by one before it turns to the GIN index.</summary>
    private const int RecentRows = 20_000;

    private static IQueryable<SearchMatch> RecentMatches(AidaDb db, string match, long after) => db.Set<SearchMatch>().FromSql($"""
        SELECT d.seq, d.kind, d.record_id, d.customer_id, 0.0::float8 AS score
        FROM search_documents d
        WHERE d.seq > {after} AND d.document @@ to_tsquery('simple', {match})
        """);

    private static IQueryable<SearchMatch> Visible(AidaDb db, IQueryable<SearchMatch> matches, IReadOnlyCollection<string>? kinds, Guid? customerId)
    {
        // The customers and notes query filters decide: a match is shown only if its customer would be
        // found by this actor, and a note only if the actor may read it (visibility). The customer is looked
        // up even for actors who reach every customer: deleting a customer does not delete its interactions
        // and notes (only its contacts), so their index rows stay and only this lookup hides them.
        var visible = matches.Where(m => db.Set<Customer>().Any(c => c.Id == m.CustomerId))
            .Where(m => m.Kind != "note" || db.Set<Note>().Any(n => n.Id == m.RecordId));
        if (customerId is { } id)
        {
            visible = visible.Where(m => m.CustomerId == id);
        }

        if (kinds is { Count: > 0 })
        {
            visible = visible.Where(m => kinds.Contains(m.Kind));
        }

        return visible;
    }

    /// <summary>
    /// The provider's match query. Unranked (broad queries, read newest first) it computes no score:
    /// FTS5's bm25() counts every row that matches each term before it scores the first one, so merely
    /// selecting it made the broad path read all ~160,000 title matches of 'smi' (1M interactions: 40–77 ms
    /// for 20 rows, 0.5 ms without it); ts_rank has no such start-up cost but is not needed either.
    /// </summary>
    private static IQueryable<SearchMatch> Matches(AidaDb db, string match, bool ranked) => (db.Provider, ranked) switch
    {
        (DatabaseProvider.Postgres, true) => db.Set<SearchMatch>().FromSql($"""
            SELECT d.seq, d.kind, d.record_id, d.customer_id, ts_rank(d.document, q.query)::float8 AS score
            FROM search_documents d, to_tsquery('simple', {match}) AS q(query)
            WHERE d.document @@ q.query
            """),
        // OFFSET 0 fences the subquery: its matches come from the GIN index and are sorted afterwards.
        (DatabaseProvider.Postgres, false) => db.Set<SearchMatch>().FromSql($"""
            SELECT d.seq, d.kind, d.record_id, d.customer_id, 0.0::float8 AS score
            FROM search_documents d
            WHERE d.document @@ to_tsquery('simple', {match})
            OFFSET 0
            """),
        // bm25 is lower-is-better; weights: title 10, body 1 (the unindexed columns take no part).
        (_, true) => db.Set<SearchMatch>().FromSql($"""
            SELECT rowid AS seq, kind, record_id, customer_id, -bm25(search_fts, 10.0, 1.0, 0.0, 0.0, 0.0) AS score
            FROM search_fts WHERE search_fts MATCH {match}
            """),
        (_, false) => db.Set<SearchMatch>().FromSql($"""
            SELECT rowid AS seq, kind, record_id, customer_id, 0.0 AS score
            FROM search_fts WHERE search_fts MATCH {match}
            """),
    };

    private static async Task<int> CountUpToAsync(AidaDb db, string match, int cap, CancellationToken cancellationToken) =>
        db.Provider == DatabaseProvider.Postgres
            ? await db.Database.SqlQuery<int>($"""
                SELECT count(*)::int AS "Value" FROM (
                    SELECT 1 FROM search_documents WHERE document @@ to_tsquery('simple', {match}) LIMIT {cap}) AS m
                """).SingleAsync(cancellationToken)
            : await db.Database.SqlQuery<int>($"""
                SELECT count(*) AS "Value" FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH {match} LIMIT {cap})
                """).SingleAsync(cancellationToken);

    private sealed record Marked(long Seq, string Title, string Snippet);

    private static async Task<Dictionary<long, (string Title, string Snippet)>> HighlightAsync(
        AidaDb db, string match, long[] seqs, CancellationToken cancellationToken)
    {
        if (seqs.Length == 0)
        {
            return [];
        }

        List<Marked> rows;
        if (db.Provider == DatabaseProvider.Postgres)
        {
            var start = MarkStart.ToString();
            var end = MarkEnd.ToString();
            rows = await db.Database.SqlQuery<Marked>($"""
                SELECT d.seq AS "Seq",
                       ts_headline('simple', d.title, q.query, 'HighlightAll=true, StartSel=' || {start} || ', StopSel=' || {end}) AS "Title",
                       ts_headline('simple', d.body, q.query, 'MaxWords=24, MinWords=8, StartSel=' || {start} || ', StopSel=' || {end}) AS "Snippet"
                FROM search_documents d, to_tsquery('simple', {match}) AS q(query)
                WHERE d.seq = ANY({seqs})
                """).ToListAsync(cancellationToken);
        }
        else
        {
            // One statement for the page. It was one per result (MATCH … AND rowid = ?), and FTS5 evaluates
            // the whole query for each: a prefix longer than the prefix index ("smith"*) gathers every
            // matching term's rows each time (~35 ms at 1M interactions), so 20 results cost 700 ms. The
            // rowid range lets FTS5 skip to the page; the unary + keeps the IN list from being handed to
            // FTS5 as 20 separate lookups, so highlight and snippet run only for the page's rows.
            var start = MarkStart.ToString();
            var end = MarkEnd.ToString();
            var (low, high) = (seqs.Min(), seqs.Max());
            var list = "[" + string.Join(",", seqs) + "]";
            rows = await db.Database.SqlQuery<Marked>($"""
                SELECT rowid AS "Seq", highlight(search_fts, 0, {start}, {end}) AS "Title",
                       snippet(search_fts, 1, {start}, {end}, '…', 16) AS "Snippet"
                FROM search_fts
                WHERE search_fts MATCH {match} AND rowid BETWEEN {low} AND {high}
                  AND +rowid IN (SELECT value FROM json_each({list}))
                """).ToListAsync(cancellationToken);
        }

        return rows.ToDictionary(r => r.Seq, r => (r.Title, r.Snippet));
    }

    /// <summary>FTS5: every term as a quoted prefix ("smi"*), all required; optionally only in the title column.</summary>
    private static string FtsQuery(IReadOnlyList<string> terms, bool titleOnly)
    {
        var all = string.Join(" AND ", terms.Select(t => "\"" + t + "\"*"));
        return titleOnly ? "title : (" + all + ")" : all;
    }

    /// <summary>tsquery: every term as a prefix (smi:*), all required; weight A is the title.</summary>
    private static string TsQuery(IReadOnlyList<string> terms, bool titleOnly) =>
        string.Join(" & ", terms.Select(t => t + (titleOnly ? ":*A" : ":*")));

    /// <summary>HTML-escapes the text and turns the match markers into &lt;mark&gt;.</summary>
    private static string ToHtml(string marked) =>
        WebUtility.HtmlEncode(marked).Replace(MarkStart.ToString(), "<mark>", StringComparison.Ordinal)
            .Replace(MarkEnd.ToString(), "</mark>", StringComparison.Ordinal);
}
