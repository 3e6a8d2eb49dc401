using Microsoft.Extensions.Options;

namespace Aida.Features.Deals;

/// <summary>
/// Deals the actor may see, filtered by pipeline, stage, status, owner ("me"), customer, staleness and
/// expected close date; sorted by createdAt, lastActivityAt or expectedCloseOn (no date sorts last);
/// keyset-paged.
/// </summary>
public static class ListDeals
{
    public sealed record Query(
        Guid? PipelineId,
        Guid? StageId,
        string? Status,
        string? OwnerId,
        Guid? CustomerId,
        bool? Stale,
        string? CloseFrom,
        string? CloseTo,
        string? Sort,
        int? Limit,
        string? Cursor);

    private static readonly string[] Sorts = ["createdAt", "lastActivityAt", "expectedCloseOn"];

    // Deals with no expected close date sort after every dated one; the keyset compares this stand-in.
    private static readonly DateOnly NoDate = DateOnly.MaxValue;

    /// <summary>The list's filters without its sort and paging: what an export of "the current list" honours.</summary>
    public sealed record Filters(
        Guid? PipelineId,
        Guid? StageId,
        string? Status,
        string? OwnerId,
        Guid? CustomerId,
        bool? Stale,
        string? CloseFrom,
        string? CloseTo);

    public static async Task<Results<Ok<Page<DealResponse>>, ValidationProblem>> Handle(
        [AsParameters] Query query, AidaDb db, IOptions<DealOptions> options, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var take = Paging.Limit(query.Limit, errors);
        var deals = Filtered(
            new Filters(query.PipelineId, query.StageId, query.Status, query.OwnerId, query.CustomerId, query.Stale, query.CloseFrom, query.CloseTo),
            db, options.Value, errors);
        var (field, descending) = QueryValues.Sort(query.Sort, "-createdAt", Sorts, errors);
        var sort = (descending ? "-" : "") + field;
        var last = Paging.DecodeCursor(query.Cursor, sort, 2, errors);
        var lastId = last is null ? Guid.Empty : ParseId(last[1], errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var staleAfterDays = options.Value.StaleAfterDays;
        var rows = await Ordered(deals, field, descending, last?[0], lastId, errors).Take(take + 1).ToListAsync(cancellationToken);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var page = rows.Take(take).ToList();
        var next = rows.Count > take ? Paging.EncodeCursor(sort, Key(page[^1], field), page[^1].Id.ToString()) : null;
        return TypedResults.Ok(new Page<DealResponse>(await DealMapping.ToResponsesAsync(db, page, staleAfterDays, cancellationToken), next));
    }

    /// <summary>The deals in the actor's reach that pass the filters; a bad filter is added to <paramref name="errors"/>.</summary>
    public static IQueryable<Opportunity> Filtered(Filters query, AidaDb db, DealOptions options, ValidationErrors errors)
    {
        var statuses = QueryValues.EnumList<DealStatus>(query.Status, "status", errors);
        var ownerId = Owner(query.OwnerId, db, errors);
        var closeFrom = QueryValues.Date(query.CloseFrom, "closeFrom", errors);
        var closeTo = QueryValues.Date(query.CloseTo, "closeTo", errors);
        var deals = db.Set<Opportunity>().AsNoTracking();
        if (query.PipelineId is { } pipelineId)
        {
            deals = deals.Where(o => o.PipelineId == pipelineId);
        }

        if (query.StageId is { } stageId)
        {
            deals = deals.Where(o => o.StageId == stageId);
        }

        if (statuses is { Count: > 0 })
        {
            deals = deals.Where(o => statuses.Contains(o.Status));
        }

        if (ownerId is { } owner)
        {
            deals = deals.Where(o => o.OwnerId == owner);
        }

        if (query.CustomerId is { } customerId)
        {
            deals = deals.Where(o => o.CustomerId == customerId);
        }

        var staleAfterDays = options.StaleAfterDays;
        if (query.Stale is { } stale)
        {
            var quietSince = db.Clock.UtcNow().AddDays(-staleAfterDays);
            deals = stale
                ? deals.Where(o => o.Status == DealStatus.Open && o.LastActivityAt < quietSince)
                : deals.Where(o => o.Status != DealStatus.Open || o.LastActivityAt >= quietSince);
        }

        if (closeFrom is { } from)
        {
            deals = deals.Where(o => o.ExpectedCloseOn >= from);
        }

        if (closeTo is { } to)
        {
            deals = deals.Where(o => o.ExpectedCloseOn <= to);
        }

        return deals;
    }

    private static IQueryable<Opportunity> Ordered(IQueryable<Opportunity> deals, string field, bool descending, string? lastKey, Guid lastId, ValidationErrors errors)
    {
        switch (field)
        {
            case "expectedCloseOn":
            {
                DateOnly? after = lastKey is null ? null : DateOnly.TryParseExact(lastKey, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : Invalid(errors, NoDate);
                if (after is { } a)
                {
                    deals = descending
                        ? deals.Where(o => (o.ExpectedCloseOn ?? NoDate) <= a && ((o.ExpectedCloseOn ?? NoDate) < a || o.Id.CompareTo(lastId) < 0))
                        : deals.Where(o => (o.ExpectedCloseOn ?? NoDate) >= a && ((o.ExpectedCloseOn ?? NoDate) > a || o.Id.CompareTo(lastId) > 0));
                }

                return descending
                    ? deals.OrderByDescending(o => o.ExpectedCloseOn ?? NoDate).ThenByDescending(o => o.Id)
                    : deals.OrderBy(o => o.ExpectedCloseOn ?? NoDate).ThenBy(o => o.Id);
            }

            case "lastActivityAt":
            {
                DateTime? after = lastKey is null ? null : Ticks(lastKey, errors);
                if (after is { } a)
                {
                    deals = descending
                        ? deals.Where(o => o.LastActivityAt <= a && (o.LastActivityAt < a || o.Id.CompareTo(lastId) < 0))
                        : deals.Where(o => o.LastActivityAt >= a && (o.LastActivityAt > a || o.Id.CompareTo(lastId) > 0));
                }

                return descending
                    ? deals.OrderByDescending(o => o.LastActivityAt).ThenByDescending(o => o.Id)
                    : deals.OrderBy(o => o.LastActivityAt).ThenBy(o => o.Id);
            }

            default:
            {
                DateTime? after = lastKey is null ? null : Ticks(lastKey, errors);
                if (after is { } a)
                {
                    deals = descending
                        ? deals.Where(o => o.CreatedAt <= a && (o.CreatedAt < a || o.Id.CompareTo(lastId) < 0))
                        : deals.Where(o => o.CreatedAt >= a && (o.CreatedAt > a || o.Id.CompareTo(lastId) > 0));
                }

                return descending
                    ? deals.OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id)
                    : deals.OrderBy(o => o.CreatedAt).ThenBy(o => o.Id);
            }
        }
    }

    private static string Key(Opportunity deal, string field) => field switch
    {
        "expectedCloseOn" => (deal.ExpectedCloseOn ?? NoDate).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        "lastActivityAt" => deal.LastActivityAt.Ticks.ToString(CultureInfo.InvariantCulture),
        _ => deal.CreatedAt.Ticks.ToString(CultureInfo.InvariantCulture),
    };

    private static DateTime? Ticks(string text, ValidationErrors errors) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks <= DateTime.MaxValue.Ticks
            ? new DateTime(ticks, DateTimeKind.Utc)
            : Invalid<DateTime?>(errors, null);

    private static Guid ParseId(string? text, ValidationErrors errors) =>
        Guid.TryParse(text, out var id) ? id : Invalid(errors, Guid.Empty);

    private static T Invalid<T>(ValidationErrors errors, T value)
    {
        errors.Add("cursor", "Is not a cursor returned by this list; start again without it.");
        return value;
    }

    /// <summary>"me" is the actor; anything else must be a user id.</summary>
    private static Guid? Owner(string? text, AidaDb db, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (text.Trim() == "me")
        {
            return db.Operation.ActorId;
        }

        if (Guid.TryParse(text, out var id))
        {
            return id;
        }

        errors.Add("ownerId", "Must be a user id or \"me\".");
        return null;
    }
}
