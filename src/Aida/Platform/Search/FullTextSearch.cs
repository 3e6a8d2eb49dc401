using System.Net;
using System.Text;

namespace Aida.Platform.Search;

/// <summary>A search result: the record, its customer, and its title and a passage with the matches marked.</summary>
public sealed record SearchHit(string Kind, Guid RecordId, Guid CustomerId, double Score, string TitleHtml, string SnippetHtml);

/// <summary>
/// The one full-text search seam, over the dialect's index (<see cref="ISearchIndex"/>: FTS5 on SQLite, a
/// weighted tsvector with GIN on PostgreSQL) of the documents the triggers of migration 0003 keep current.
/// Results honour record-level access and each feature's visibility rules (note visibility) because the
/// match query is composed with the rules the features contribute (<see cref="SearchSources"/>), which use
/// the same query filters every other read uses.
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
        AidaDb db, SearchSources sources, IReadOnlyList<string> terms, IReadOnlyCollection<string>? kinds, Guid? customerId, int limit,
        CancellationToken cancellationToken)
    {
        if (terms.Count == 0)
        {
            return [];
        }

        var index = db.Dialect.Search;
        var everywhere = index.Match(terms, titleOnly: false);
        var narrow = await index.CountUpToAsync(db, everywhere, RankedLimit, cancellationToken) < RankedLimit;

        List<SearchMatch> matches;
        if (narrow)
        {
            matches = await Visible(db, sources, index.Matches(db, everywhere, ranked: true), kinds, customerId)
                .OrderByDescending(m => m.Score).ThenByDescending(m => m.Seq)
                .Take(limit).ToListAsync(cancellationToken);
        }
        else
        {
            var titleOnly = index.Match(terms, titleOnly: true);
            matches = await index.NewestAsync(db, titleOnly, m => Visible(db, sources, m, kinds, customerId), limit, cancellationToken);
            if (matches.Count < limit)
            {
                // Every visible title match is in hand, so the rest are the matches without one: asking for
                // just those spares re-reading (and re-checking access to) each title match. For an actor
                // who reaches few customers, most title matches fail the check, and checking each one is
                // what a broad search costs them (a rep reaching 1%: 1,260 title matches for 'mue').
                var rest = index.Except(everywhere, titleOnly);
                matches.AddRange(await index.NewestAsync(db, rest, m => Visible(db, sources, m, kinds, customerId), limit - matches.Count, cancellationToken));
            }
        }

        var marked = await HighlightAsync(db, index, everywhere, matches.Select(m => m.Seq).ToArray(), cancellationToken);
        return matches.Select(m =>
        {
            var (title, snippet) = marked.GetValueOrDefault(m.Seq, ("", ""));
            return new SearchHit(m.Kind, m.RecordId, m.CustomerId, m.Score, ToHtml(title), ToHtml(snippet));
        }).ToList();
    }

    private static async Task<Dictionary<long, (string Title, string Snippet)>> HighlightAsync(
        AidaDb db, ISearchIndex index, string match, long[] seqs, CancellationToken cancellationToken)
    {
        if (seqs.Length == 0)
        {
            return [];
        }

        var rows = await index.HighlightAsync(db, match, seqs, MarkStart.ToString(), MarkEnd.ToString(), cancellationToken);
        return rows.ToDictionary(r => r.Seq, r => (r.Title, r.Snippet));
    }

    private static IQueryable<SearchMatch> Visible(
        AidaDb db, SearchSources sources, IQueryable<SearchMatch> matches, IReadOnlyCollection<string>? kinds, Guid? customerId)
    {
        // The rules the features contribute decide: a match is shown only if its customer would be found by
        // this actor, and a note only if the actor may read it (visibility). The customer is looked up even
        // for actors who reach every customer: deleting a customer does not delete its interactions and
        // notes (only its contacts), so their index rows stay and only this lookup hides them.
        var visible = sources.Visible(db, matches);
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

    /// <summary>HTML-escapes the text and turns the match markers into &lt;mark&gt;.</summary>
    private static string ToHtml(string marked) =>
        WebUtility.HtmlEncode(marked).Replace(MarkStart.ToString(), "<mark>", StringComparison.Ordinal)
            .Replace(MarkEnd.ToString(), "</mark>", StringComparison.Ordinal);
}
