using System.Linq.Expressions;

namespace Aida.Features.Customers.Contacts;

/// <summary>
/// Name-prefix search that stays fast however broad the prefix: instead of collecting every match and
/// sorting them, it reads matches in phases, each an index range read in index order and stopped as
/// soon as the page is full. One word: last names, then first names, then email addresses starting
/// with it. Two or more: first word on the first name and last word on the last name (and the other
/// way round), then the whole phrase on either name. A contact matching an earlier phase is not
/// repeated in a later one, and the cursor records the phase, so paging visits every match once.
/// </summary>
public static class NamePrefixSearch
{
    public const string CursorSort = "q";

    private enum By
    {
        LastName,
        FirstName,
        Email,
    }

    private sealed record Phase(Expression<Func<Contact, bool>> Match, By Order);

    /// <returns>The page and its next cursor; null when the cursor is not one of ours.</returns>
    public static async Task<Page<Contact>?> RunAsync(
        IQueryable<Contact> contacts, IReadOnlyList<string> words, string raw, string?[]? after, int limit, CancellationToken cancellationToken)
    {
        var phases = PhasesFor(words, raw);
        var start = 0;
        Guid afterId = default;
        if (after is not null && (!int.TryParse(after[0], out start) || start < 0 || start >= phases.Count || !Guid.TryParse(after[3], out afterId)))
        {
            return null;
        }

        var rows = new List<(Contact Contact, int Phase)>();
        for (var p = start; p < phases.Count && rows.Count <= limit; p++)
        {
            var query = contacts.Where(phases[p].Match);
            for (var earlier = 0; earlier < p; earlier++)
            {
                query = query.Where(Not(phases[earlier].Match));
            }

            if (p == start && after is not null)
            {
                query = query.Where(After(phases[p].Order, after[1] ?? "", after[2] ?? "", afterId));
            }

            var found = await Ordered(query, phases[p].Order).Take(limit + 1 - rows.Count).ToListAsync(cancellationToken);
            rows.AddRange(found.Select(c => (c, p)));
        }

        var page = rows.Take(limit).ToList();
        string? next = null;
        if (rows.Count > limit)
        {
            var (last, phase) = page[^1];
            var (k1, k2) = Keys(last, phases[phase].Order);
            next = Paging.EncodeCursor(CursorSort, phase.ToString(System.Globalization.CultureInfo.InvariantCulture), k1, k2, last.Id.ToString());
        }

        return new Page<Contact>(page.Select(r => r.Contact).ToList(), next);
    }

    private static List<Phase> PhasesFor(IReadOnlyList<string> words, string raw)
    {
        var whole = string.Join(' ', words);
        if (words.Count == 1)
        {
            return
            [
                new(LastStarts(whole), By.LastName),
                new(FirstStarts(whole), By.FirstName),
                new(EmailStarts(raw.Trim().ToLowerInvariant()), By.Email),
            ];
        }

        var (a, aEnd) = (words[0], QueryValues.PrefixUpperBound(words[0]));
        var (b, bEnd) = (words[^1], QueryValues.PrefixUpperBound(words[^1]));
        return
        [
            new(c => c.LastNameKey.CompareTo(b) >= 0 && c.LastNameKey.CompareTo(bEnd) < 0 && c.FirstNameKey.CompareTo(a) >= 0 && c.FirstNameKey.CompareTo(aEnd) < 0, By.LastName),
            new(c => c.LastNameKey.CompareTo(a) >= 0 && c.LastNameKey.CompareTo(aEnd) < 0 && c.FirstNameKey.CompareTo(b) >= 0 && c.FirstNameKey.CompareTo(bEnd) < 0, By.LastName),
            new(LastStarts(whole), By.LastName),
            new(FirstStarts(whole), By.FirstName),
        ];
    }

    private static Expression<Func<Contact, bool>> LastStarts(string prefix)
    {
        var end = QueryValues.PrefixUpperBound(prefix);
        return c => c.LastNameKey.CompareTo(prefix) >= 0 && c.LastNameKey.CompareTo(end) < 0;
    }

    private static Expression<Func<Contact, bool>> FirstStarts(string prefix)
    {
        var end = QueryValues.PrefixUpperBound(prefix);
        return c => c.FirstNameKey.CompareTo(prefix) >= 0 && c.FirstNameKey.CompareTo(end) < 0;
    }

    private static Expression<Func<Contact, bool>> EmailStarts(string prefix)
    {
        var end = QueryValues.PrefixUpperBound(prefix);
        return c => c.EmailNormalized != null && c.EmailNormalized.CompareTo(prefix) >= 0 && c.EmailNormalized.CompareTo(end) < 0;
    }

    private static Expression<Func<Contact, bool>> Not(Expression<Func<Contact, bool>> match) =>
        Expression.Lambda<Func<Contact, bool>>(Expression.Not(match.Body), match.Parameters);

    /// <summary>Each phase reads its index in order: (last, first, id), (first, last, id) or (email, id).</summary>
    private static IOrderedQueryable<Contact> Ordered(IQueryable<Contact> query, By order) => order switch
    {
        By.LastName => query.OrderBy(c => c.LastNameKey).ThenBy(c => c.FirstNameKey).ThenBy(c => c.Id),
        By.FirstName => query.OrderBy(c => c.FirstNameKey).ThenBy(c => c.LastNameKey).ThenBy(c => c.Id),
        _ => query.OrderBy(c => c.EmailNormalized).ThenBy(c => c.Id),
    };

    private static (string, string) Keys(Contact c, By order) => order switch
    {
        By.LastName => (c.LastNameKey, c.FirstNameKey),
        By.FirstName => (c.FirstNameKey, c.LastNameKey),
        _ => (c.EmailNormalized ?? "", ""),
    };

    private static Expression<Func<Contact, bool>> After(By order, string k1, string k2, Guid id) => order switch
    {
        By.LastName => c => c.LastNameKey.CompareTo(k1) >= 0 && (c.LastNameKey.CompareTo(k1) > 0
            || c.FirstNameKey.CompareTo(k2) > 0 || (c.FirstNameKey == k2 && c.Id.CompareTo(id) > 0)),
        By.FirstName => c => c.FirstNameKey.CompareTo(k1) >= 0 && (c.FirstNameKey.CompareTo(k1) > 0
            || c.LastNameKey.CompareTo(k2) > 0 || (c.LastNameKey == k2 && c.Id.CompareTo(id) > 0)),
        _ => c => c.EmailNormalized!.CompareTo(k1) >= 0 && (c.EmailNormalized.CompareTo(k1) > 0 || c.Id.CompareTo(id) > 0),
    };
}
