using Aida.Features.Customers;

namespace Aida.Features.Leads;

/// <summary>
/// The lead list (work queue): leads the actor reaches, by status, qualification, assignee, source,
/// minimum score, a name/email/company prefix and creation time; newest or best first; keyset-paged, so
/// a deep page costs what the first does (ix_leads_created, ix_leads_score).
/// </summary>
public static class ListLeads
{
    private static readonly string[] Sorts = ["createdAt", "score"];

    public sealed record Query(
        string? Status,
        string? QualificationStatus,
        string? AssignedTo,
        string? SourceType,
        int? MinScore,
        string? Q,
        string? CreatedFrom,
        string? CreatedTo,
        string? Sort,
        int? Limit,
        string? Cursor);

    public static async Task<Results<Ok<Page<LeadResponse>>, ValidationProblem>> Handle(
        [AsParameters] Query query, AidaDb db, CancellationToken cancellationToken) =>
        (await RunAsync(query, db, cancellationToken)).ToOkOrInvalid();

    /// <summary>The list's filters without its sort and paging: what an export of "the current list" honours.</summary>
    public sealed record Filters(
        string? Status,
        string? QualificationStatus,
        string? AssignedTo,
        string? SourceType,
        int? MinScore,
        string? Q,
        string? CreatedFrom,
        string? CreatedTo);

    public static async Task<Result<Page<LeadResponse>>> RunAsync(Query query, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var leads = Filtered(
            new Filters(query.Status, query.QualificationStatus, query.AssignedTo, query.SourceType, query.MinScore, query.Q, query.CreatedFrom, query.CreatedTo),
            db, errors);
        var (sort, descending) = QueryValues.Sort(query.Sort, "-createdAt", Sorts, errors);
        var sortName = (descending ? "-" : "") + sort;
        var limit = Paging.Limit(query.Limit, errors);
        var after = Paging.DecodeCursor(query.Cursor, sortName, 2, errors);
        var cursor = after is null ? null : ParseCursor(after, errors);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        if (cursor is { } c)
        {
            var (key, id) = c;
            var score = (int)Math.Min(key, 100);
            var time = new DateTime(key, DateTimeKind.Utc);
            leads = (sort, descending) switch
            {
                ("score", true) => leads.Where(l => l.Score <= score && (l.Score < score || l.Id.CompareTo(id) < 0)),
                ("score", false) => leads.Where(l => l.Score >= score && (l.Score > score || l.Id.CompareTo(id) > 0)),
                (_, true) => leads.Where(l => l.CreatedAt <= time && (l.CreatedAt < time || l.Id.CompareTo(id) < 0)),
                _ => leads.Where(l => l.CreatedAt >= time && (l.CreatedAt > time || l.Id.CompareTo(id) > 0)),
            };
        }

        var ordered = (sort, descending) switch
        {
            ("score", true) => leads.OrderByDescending(l => l.Score).ThenByDescending(l => l.Id),
            ("score", false) => leads.OrderBy(l => l.Score).ThenBy(l => l.Id),
            (_, true) => leads.OrderByDescending(l => l.CreatedAt).ThenByDescending(l => l.Id),
            _ => leads.OrderBy(l => l.CreatedAt).ThenBy(l => l.Id),
        };
        var rows = await ordered.Take(limit + 1).ToListAsync(cancellationToken);
        string? next = null;
        if (rows.Count > limit)
        {
            var last = rows[limit - 1];
            var key = sort == "score" ? last.Score : last.CreatedAt.Ticks;
            next = Paging.EncodeCursor(sortName, key.ToString(CultureInfo.InvariantCulture), last.Id.ToString());
        }

        return Result.Ok(new Page<LeadResponse>(rows.Take(limit).Select(l => l.ToResponse()).ToList(), next));
    }

    /// <summary>The leads in the actor's reach that pass the filters; a bad filter is added to <paramref name="errors"/>.</summary>
    public static IQueryable<Lead> Filtered(Filters query, AidaDb db, ValidationErrors errors)
    {
        var statuses = QueryValues.EnumList<LeadStatus>(query.Status, "status", errors);
        var qualifications = QueryValues.EnumList<QualificationStatus>(query.QualificationStatus, "qualificationStatus", errors);
        var sources = QueryValues.EnumList<LeadSourceType>(query.SourceType, "sourceType", errors);
        var from = QueryValues.Time(query.CreatedFrom, "createdFrom", errors);
        var to = QueryValues.Time(query.CreatedTo, "createdTo", errors);
        var assignee = Assignee(query.AssignedTo, db, errors);
        if (query.MinScore is < 0 or > 100)
        {
            errors.Add("minScore", "Must be between 0 and 100.");
        }

        var q = query.Q?.Trim();
        if (q?.Length > 200)
        {
            errors.Add("q", "Must be at most 200 characters.");
        }

        var leads = db.Set<Lead>().AsNoTracking();
        if (statuses is { Count: > 0 })
        {
            leads = leads.Where(l => statuses.Contains(l.Status));
        }

        if (qualifications is { Count: > 0 })
        {
            leads = leads.Where(l => qualifications.Contains(l.QualificationStatus));
        }

        if (sources is { Count: > 0 })
        {
            leads = leads.Where(l => sources.Contains(l.SourceType));
        }

        if (assignee is { Unassigned: true })
        {
            leads = leads.Where(l => l.AssignedTo == null);
        }
        else if (assignee is { Id: { } assigneeId })
        {
            leads = leads.Where(l => l.AssignedTo == assigneeId);
        }

        if (query.MinScore is { } minScore)
        {
            leads = leads.Where(l => l.Score >= minScore);
        }

        if (from is { } start)
        {
            leads = leads.Where(l => l.CreatedAt >= start);
        }

        if (to is { } end)
        {
            leads = leads.Where(l => l.CreatedAt < end);
        }

        if (!string.IsNullOrEmpty(q))
        {
            // A prefix of the first or last name or company (any case), or of the normalised email. Leads
            // keep no name keys, so this is tested row by row while the sort's index is walked: a page of a
            // common prefix is found quickly, a rare one reads further.
            var lower = q.ToLowerInvariant();
            var email = Matching.NormalizeEmail(q) ?? lower;
#pragma warning disable CA1304, CA1311, CA1862 // Translated to SQL lower() and a LIKE prefix; never run in .NET.
            leads = leads.Where(l => l.FirstName!.ToLower().StartsWith(lower)
                || l.LastName!.ToLower().StartsWith(lower)
                || l.Company!.ToLower().StartsWith(lower)
                || l.EmailNormalized!.StartsWith(email));
#pragma warning restore CA1304, CA1311, CA1862
        }

        return leads;
    }

    private sealed record AssigneeFilter(Guid? Id, bool Unassigned);

    /// <summary>"me", "none" or a user id.</summary>
    private static AssigneeFilter? Assignee(string? text, AidaDb db, ValidationErrors errors)
    {
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (value.Equals("me", StringComparison.OrdinalIgnoreCase))
        {
            return new AssigneeFilter(db.Operation.ActorId, false);
        }

        if (value.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return new AssigneeFilter(null, true);
        }

        if (Guid.TryParse(value, out var id))
        {
            return new AssigneeFilter(id, false);
        }

        errors.Add("assignedTo", "Must be a user id, me or none.");
        return null;
    }

    private static (long Key, Guid Id)? ParseCursor(string?[] keys, ValidationErrors errors)
    {
        if (long.TryParse(keys[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var key)
            && key is >= 0 && key <= DateTime.MaxValue.Ticks && Guid.TryParse(keys[1], out var id))
        {
            return (key, id);
        }

        errors.Add("cursor", "Is not a cursor returned by this list; start again without it.");
        return null;
    }
}
