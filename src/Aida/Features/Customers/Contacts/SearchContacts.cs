using System.Linq.Expressions;

namespace Aida.Features.Customers.Contacts;

/// <summary>
/// Contacts across all customers (<c>/api/v1/contacts</c>) or of one (<c>/customers/{id}/contacts</c>):
/// name-prefix search that ignores case and accents ("mul" finds Müller; "ann lee" finds Ann Lee and
/// Lee Ann), exact email or phone lookup, and keyset paging in name order.
/// </summary>
public static class SearchContacts
{
    private static readonly string[] Sorts = ["name", "createdAt"];

    public sealed record Query(string? Q, string? Email, string? Phone, Guid? CustomerId, string? Status, string? Sort, int? Limit, string? Cursor);

    public sealed record CustomerQuery(string? Q, string? Status, string? Sort, int? Limit, string? Cursor);

    public static async Task<Results<Ok<Page<ContactResponse>>, ValidationProblem, ProblemHttpResult>> Handle(
        [AsParameters] Query query, AidaDb db, CancellationToken cancellationToken) =>
        (await RunAsync(query, db, cancellationToken)).ToOk();

    public static async Task<Results<Ok<Page<ContactResponse>>, ValidationProblem, ProblemHttpResult>> HandleForCustomer(
        Guid customerId, [AsParameters] CustomerQuery query, AidaDb db, CancellationToken cancellationToken) =>
        (await RunForCustomerAsync(customerId, query, db, cancellationToken)).ToOk();

    public static async Task<Result<Page<ContactResponse>>> RunForCustomerAsync(
        Guid customerId, CustomerQuery query, AidaDb db, CancellationToken cancellationToken)
    {
        if (!await db.Set<Customer>().AnyAsync(c => c.Id == customerId, cancellationToken))
        {
            return new Failure.NotFound("customer");
        }

        return await RunAsync(new Query(query.Q, null, null, customerId, query.Status, query.Sort, query.Limit, query.Cursor), db, cancellationToken);
    }

    public static async Task<Result<Page<ContactResponse>>> RunAsync(Query query, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var statuses = QueryValues.EnumList<ContactStatus>(query.Status, "status", errors);
        var (sort, descending) = QueryValues.Sort(query.Sort, "name", Sorts, errors);
        var sortName = (descending ? "-" : "") + sort;
        var limit = Paging.Limit(query.Limit, errors);
        var words = Matching.Words(query.Q);
        // Name-prefix search in the default order reads in phases (NamePrefixSearch); any other order
        // filters all matches and sorts them.
        var phased = words.Count > 0 && sort == "name" && !descending;
        var after = phased
            ? Paging.DecodeCursor(query.Cursor, NamePrefixSearch.CursorSort, 4, errors)
            : Paging.DecodeCursor(query.Cursor, sortName, 3, errors);
        if (query.Q?.Length > 200)
        {
            errors.Add("q", "Must be at most 200 characters.");
        }

        var phone = Matching.PhoneKey(query.Phone);
        if (phone is null && !string.IsNullOrWhiteSpace(query.Phone))
        {
            // Without a key the filter would read "PhoneKey == null" and list every contact without a phone.
            errors.Add("phone", "Must contain at least 5 digits (before any extension) to search by.");
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        var contacts = db.Set<Contact>().AsNoTracking();
        if (query.CustomerId is { } customerId)
        {
            contacts = contacts.Where(c => c.CustomerId == customerId);
        }

        if (Matching.NormalizeEmail(query.Email) is { } email)
        {
            contacts = contacts.Where(c => c.EmailNormalized == email);
        }

        if (phone is not null)
        {
            contacts = contacts.Where(c => c.PhoneKey == phone);
        }

        if (statuses is { Count: > 0 })
        {
            contacts = contacts.Where(c => statuses.Contains(c.Status));
        }

        if (phased)
        {
            var found = await NamePrefixSearch.RunAsync(contacts, words, query.Q!, after, limit, cancellationToken);
            return found is null
                ? new Failure.Invalid("cursor", "Is not a cursor returned by this list; start again without it.")
                : Result.Ok(new Page<ContactResponse>(found.Items.Select(c => c.ToResponse()).ToList(), found.NextCursor));
        }

        if (words.Count > 0)
        {
            contacts = contacts.Where(NameOrEmailStartsWith(words, query.Q!));
        }

        if (after is not null)
        {
            if (!Guid.TryParse(after[2], out var id)
                || (sort == "createdAt" && !long.TryParse(after[0], NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            {
                return new Failure.Invalid("cursor", "Is not a cursor returned by this list; start again without it.");
            }

            contacts = After(contacts, sort, descending, after[0] ?? "", after[1] ?? "", id);
        }

        var rows = await Order(contacts, sort, descending).Take(limit + 1).ToListAsync(cancellationToken);
        var page = rows.Take(limit).ToList();
        var next = rows.Count > limit ? Cursor(sortName, sort, page[^1]) : null;
        return Result.Ok(new Page<ContactResponse>(page.Select(c => c.ToResponse()).ToList(), next));
    }

    /// <summary>
    /// The query's words as a prefix of either name ("smith jo" finds Smith-Jones; "mary an" finds Mary Ann),
    /// or first word a prefix of one name and last word of the other ("ann lee" finds Ann Lee and Lee Ann),
    /// or the query as written a prefix of the email address.
    /// </summary>
    private static Expression<Func<Contact, bool>> NameOrEmailStartsWith(IReadOnlyList<string> words, string raw)
    {
        var whole = string.Join(' ', words);
        var wholeEnd = QueryValues.PrefixUpperBound(whole);
        if (words.Count == 1)
        {
            var e = raw.Trim().ToLowerInvariant();
            var eEnd = QueryValues.PrefixUpperBound(e);
            return c => (c.LastNameKey.CompareTo(whole) >= 0 && c.LastNameKey.CompareTo(wholeEnd) < 0)
                || (c.FirstNameKey.CompareTo(whole) >= 0 && c.FirstNameKey.CompareTo(wholeEnd) < 0)
                || (c.EmailNormalized != null && c.EmailNormalized.CompareTo(e) >= 0 && c.EmailNormalized.CompareTo(eEnd) < 0);
        }

        var a = words[0];
        var aEnd = QueryValues.PrefixUpperBound(a);
        var b = words[^1];
        var bEnd = QueryValues.PrefixUpperBound(b);
        return c => (c.FirstNameKey.CompareTo(a) >= 0 && c.FirstNameKey.CompareTo(aEnd) < 0 && c.LastNameKey.CompareTo(b) >= 0 && c.LastNameKey.CompareTo(bEnd) < 0)
            || (c.LastNameKey.CompareTo(a) >= 0 && c.LastNameKey.CompareTo(aEnd) < 0 && c.FirstNameKey.CompareTo(b) >= 0 && c.FirstNameKey.CompareTo(bEnd) < 0)
            || (c.LastNameKey.CompareTo(whole) >= 0 && c.LastNameKey.CompareTo(wholeEnd) < 0)
            || (c.FirstNameKey.CompareTo(whole) >= 0 && c.FirstNameKey.CompareTo(wholeEnd) < 0);
    }

    private static IOrderedQueryable<Contact> Order(IQueryable<Contact> q, string sort, bool descending) => (sort, descending) switch
    {
        ("createdAt", false) => q.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id),
        ("createdAt", true) => q.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id),
        (_, false) => q.OrderBy(c => c.LastNameKey).ThenBy(c => c.FirstNameKey).ThenBy(c => c.Id),
        _ => q.OrderByDescending(c => c.LastNameKey).ThenByDescending(c => c.FirstNameKey).ThenByDescending(c => c.Id),
    };

    private static IQueryable<Contact> After(IQueryable<Contact> q, string sort, bool descending, string k1, string k2, Guid id)
    {
        if (sort == "createdAt")
        {
            var time = new DateTime(long.Parse(k1, CultureInfo.InvariantCulture), DateTimeKind.Utc);
            return descending
                ? q.Where(c => c.CreatedAt <= time && (c.CreatedAt < time || c.Id.CompareTo(id) < 0))
                : q.Where(c => c.CreatedAt >= time && (c.CreatedAt > time || c.Id.CompareTo(id) > 0));
        }

        return descending
            ? q.Where(c => c.LastNameKey.CompareTo(k1) <= 0 && (c.LastNameKey.CompareTo(k1) < 0
                || c.FirstNameKey.CompareTo(k2) < 0 || (c.FirstNameKey == k2 && c.Id.CompareTo(id) < 0)))
            : q.Where(c => c.LastNameKey.CompareTo(k1) >= 0 && (c.LastNameKey.CompareTo(k1) > 0
                || c.FirstNameKey.CompareTo(k2) > 0 || (c.FirstNameKey == k2 && c.Id.CompareTo(id) > 0)));
    }

    private static string Cursor(string sortName, string sort, Contact last) => sort == "createdAt"
        ? Paging.EncodeCursor(sortName, last.CreatedAt.Ticks.ToString(CultureInfo.InvariantCulture), "", last.Id.ToString())
        : Paging.EncodeCursor(sortName, last.LastNameKey, last.FirstNameKey, last.Id.ToString());
}
