using Aida.Features.Customers.Contacts;

namespace Aida.Features.Customers;

/// <summary>
/// Lists customers with filters, a sort and keyset (cursor) paging: every page is an index range
/// scan, so page 1,000 costs what page 1 does.
/// </summary>
public static class ListCustomers
{
    private static readonly string[] Sorts = ["createdAt", "updatedAt", "displayName"];

    public sealed record Query(
        string? Q,
        string? Status,
        string? Type,
        string? Source,
        Guid? OwnerId,
        string? CreatedAfter,
        string? CreatedBefore,
        string? Sort,
        int? Limit,
        string? Cursor);

    public static async Task<Results<Ok<Page<CustomerResponse>>, ValidationProblem>> Handle(
        [AsParameters] Query query, AidaDb db, CancellationToken cancellationToken) =>
        (await RunAsync(query, db, cancellationToken)).ToOkOrInvalid();

    /// <summary>The list's filters without its sort and paging: what an export of "the current list" honours.</summary>
    public sealed record Filters(
        string? Q,
        string? Status,
        string? Type,
        string? Source,
        Guid? OwnerId,
        string? CreatedAfter,
        string? CreatedBefore);

    public static async Task<Result<Page<CustomerResponse>>> RunAsync(Query query, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var (sort, descending) = QueryValues.Sort(query.Sort, "-createdAt", Sorts, errors);
        var sortName = (descending ? "-" : "") + sort;
        var limit = Paging.Limit(query.Limit, errors);
        var after = Paging.DecodeCursor(query.Cursor, sortName, 2, errors);
        var filters = new Filters(query.Q, query.Status, query.Type, query.Source, query.OwnerId, query.CreatedAfter, query.CreatedBefore);
        var customers = await FilteredAsync(filters, db, errors, sort, cancellationToken);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        if (!TryApplyCursor(ref customers, sort, descending, after))
        {
            return new Failure.Invalid("cursor", "Is not a cursor returned by this list; start again without it.");
        }

        // One round trip: the page, each row with its primary contact.
        var primaries = db.Set<Contact>().AsNoTracking().Where(c => c.IsPrimary);
        var pageQuery = Order(customers, sort, descending).Take(limit + 1);
        var joined = await (
            from c in pageQuery
            join primary in primaries on c.Id equals primary.CustomerId into matched
            from p in matched.DefaultIfEmpty()
            select new Row(
                c.SearchName,
                new CustomerResponse(
                    c.Id, c.Type, c.DisplayName, c.Status, c.Source, c.ExternalId, c.OwnerId, c.ParentId, c.CreatedBy,
                    c.CreatedAt, c.UpdatedAt, c.Version,
                    p == null ? null : new PrimaryContactSummary(p.Id, p.FirstName, p.LastName, p.Email, p.Phone))))
            .ToListAsync(cancellationToken);

        // The join may not keep the page's order, so the rows are put back in it by the same key (ordinal
        // order is the database's order: BINARY on SQLite, the "C" collation on PostgreSQL, uuids as text).
        var rows = joined
            .OrderBy(r => (SortKey(r, sort), r.Customer.Id.ToString()), Comparer<(string Key, string Id)>.Create((a, b) =>
            {
                var byKey = string.CompareOrdinal(a.Key, b.Key);
                var result = byKey != 0 ? byKey : string.CompareOrdinal(a.Id, b.Id);
                return descending ? -result : result;
            }))
            .ToList();
        var page = rows.Take(limit).ToList();
        var next = rows.Count > limit ? Paging.EncodeCursor(sortName, SortKey(page[^1], sort), page[^1].Customer.Id.ToString()) : null;
        return Result.Ok(new Page<CustomerResponse>(page.Select(r => r.Customer).ToList(), next));
    }

    /// <summary>
    /// The customers in the actor's reach that pass the filters; a bad filter is added to <paramref name="errors"/>
    /// (then nothing is read and the query returned must not be used).
    /// </summary>
    public static async Task<IQueryable<Customer>> FilteredAsync(
        Filters filters, AidaDb db, ValidationErrors errors, string sort, CancellationToken cancellationToken)
    {
        var statuses = QueryValues.EnumList<CustomerStatus>(filters.Status, "status", errors);
        var types = QueryValues.EnumList<CustomerType>(filters.Type, "type", errors);
        var sources = QueryValues.EnumList<CustomerSource>(filters.Source, "source", errors);
        var createdAfter = QueryValues.Time(filters.CreatedAfter, "createdAfter", errors);
        var createdBefore = QueryValues.Time(filters.CreatedBefore, "createdBefore", errors);
        var q = filters.Q?.Trim();
        if (q?.Length > 200)
        {
            errors.Add("q", "Must be at most 200 characters.");
        }

        var customers = db.Set<Customer>().AsNoTracking();
        if (errors.Any)
        {
            return customers;
        }

        if (!string.IsNullOrEmpty(q))
        {
            customers = customers.Where(await SearchAsync(db, q, sort, cancellationToken));
        }

        if (statuses is { Count: > 0 })
        {
            customers = customers.Where(c => statuses.Contains(c.Status));
        }

        if (types is { Count: > 0 })
        {
            customers = customers.Where(c => types.Contains(c.Type));
        }

        if (sources is { Count: > 0 })
        {
            customers = customers.Where(c => c.Source != null && sources.Contains(c.Source.Value));
        }

        if (filters.OwnerId is { } ownerId)
        {
            customers = customers.Where(c => c.OwnerId == ownerId);
        }

        if (createdAfter is { } from)
        {
            customers = customers.Where(c => c.CreatedAt >= from);
        }

        if (createdBefore is { } to)
        {
            customers = customers.Where(c => c.CreatedAt < to);
        }

        return customers;
    }

    /// <summary>A listed customer and the key it is sorted by.</summary>
    private sealed record Row(string SearchName, CustomerResponse Customer);

    /// <summary>
    /// <c>q</c> matches the start of the display name (any case, any accents), an exact external id,
    /// or — when it looks like an address — a contact's email. Word-level full-text search is the
    /// search feature's job. The exact matches are looked up first (each an index probe, almost always
    /// empty): OR-ing them into the name range would make SQLite walk the whole name index instead of
    /// the range (90 ms instead of 0.2 ms at 100,000 customers).
    /// </summary>
    private static async Task<System.Linq.Expressions.Expression<Func<Customer, bool>>> SearchAsync(
        AidaDb db, string q, string sort, CancellationToken cancellationToken)
    {
        var prefix = Matching.SearchKey(q);
        var upper = QueryValues.PrefixUpperBound(prefix);
        var email = q.Contains('@', StringComparison.Ordinal) ? Matching.NormalizeEmail(q) : null;
        var exact = await db.Set<Customer>().Where(c => c.ExternalId == q).Select(c => c.Id).Take(MaxExactMatches).ToListAsync(cancellationToken);
        // A sync that still sends the external id of a customer merged away finds the survivor.
        exact.AddRange(await Merges.MergeRedirects.SurvivorsByExternalIdAsync(db, q, cancellationToken));
        if (email is not null)
        {
            exact.AddRange(await db.Set<Contact>().Where(c => c.EmailNormalized == email).Select(c => c.CustomerId).Take(MaxExactMatches).ToListAsync(cancellationToken));
        }

        // Sorted by name, the name range is the order and the page is read straight off the index. Sorted
        // by a time, the matches must be sorted first: cheap for a narrow prefix, but a broad one ("a")
        // would sort a fifth of the table (600 ms at 100,000 customers). For a broad prefix the time index
        // drives instead and each row is tested against the prefix — matches are then so common that a
        // page is found within a few thousand rows. Appending '' hides the column from the planner, which
        // would otherwise still pick the range. A count that stops at the threshold tells the two apart.
        var broad = sort != "displayName"
            && await db.Set<Customer>().Where(c => c.SearchName.CompareTo(prefix) >= 0 && c.SearchName.CompareTo(upper) < 0)
                .Take(BroadPrefixMatches).CountAsync(cancellationToken) == BroadPrefixMatches;
        return (broad, exact.Count > 0) switch
        {
            (false, false) => c => c.SearchName.CompareTo(prefix) >= 0 && c.SearchName.CompareTo(upper) < 0,
            (true, false) => c => (c.SearchName + "").CompareTo(prefix) >= 0 && (c.SearchName + "").CompareTo(upper) < 0,
            (false, true) => c => (c.SearchName.CompareTo(prefix) >= 0 && c.SearchName.CompareTo(upper) < 0) || exact.Contains(c.Id),
            (true, true) => c => ((c.SearchName + "").CompareTo(prefix) >= 0 && (c.SearchName + "").CompareTo(upper) < 0) || exact.Contains(c.Id),
        };
    }

    /// <summary>A prefix with at least this many matches is broad: a time-sorted page is found faster by walking the time index.</summary>
    private const int BroadPrefixMatches = 1000;

    /// <summary>Exact matches are a handful at most (an external id is unique; an email belongs to few contacts).</summary>
    private const int MaxExactMatches = 100;

    /// <summary>The sort key as text that orders like the column (ticks are zero-padded to a fixed width).</summary>
    private static string SortKey(Row row, string sort) => sort switch
    {
        "displayName" => row.SearchName,
        "updatedAt" => row.Customer.UpdatedAt.Ticks.ToString("D19", CultureInfo.InvariantCulture),
        _ => row.Customer.CreatedAt.Ticks.ToString("D19", CultureInfo.InvariantCulture),
    };

    private static IOrderedQueryable<Customer> Order(IQueryable<Customer> q, string sort, bool descending) => (sort, descending) switch
    {
        ("displayName", false) => q.OrderBy(c => c.SearchName).ThenBy(c => c.Id),
        ("displayName", true) => q.OrderByDescending(c => c.SearchName).ThenByDescending(c => c.Id),
        ("updatedAt", false) => q.OrderBy(c => c.UpdatedAt).ThenBy(c => c.Id),
        ("updatedAt", true) => q.OrderByDescending(c => c.UpdatedAt).ThenByDescending(c => c.Id),
        (_, false) => q.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id),
        _ => q.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id),
    };

    private static bool TryApplyCursor(ref IQueryable<Customer> q, string sort, bool descending, string?[]? after)
    {
        if (after is null)
        {
            return true;
        }

        if (!Guid.TryParse(after[1], out var id) || after[0] is null)
        {
            return false;
        }

        if (sort == "displayName")
        {
            var name = after[0]!;
            q = descending
                ? q.Where(c => c.SearchName.CompareTo(name) <= 0 && (c.SearchName.CompareTo(name) < 0 || c.Id.CompareTo(id) < 0))
                : q.Where(c => c.SearchName.CompareTo(name) >= 0 && (c.SearchName.CompareTo(name) > 0 || c.Id.CompareTo(id) > 0));
            return true;
        }

        if (!long.TryParse(after[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
        {
            return false;
        }

        var time = new DateTime(ticks, DateTimeKind.Utc);
        q = (sort, descending) switch
        {
            ("updatedAt", false) => q.Where(c => c.UpdatedAt >= time && (c.UpdatedAt > time || c.Id.CompareTo(id) > 0)),
            ("updatedAt", true) => q.Where(c => c.UpdatedAt <= time && (c.UpdatedAt < time || c.Id.CompareTo(id) < 0)),
            (_, false) => q.Where(c => c.CreatedAt >= time && (c.CreatedAt > time || c.Id.CompareTo(id) > 0)),
            _ => q.Where(c => c.CreatedAt <= time && (c.CreatedAt < time || c.Id.CompareTo(id) < 0)),
        };
        return true;
    }
}
