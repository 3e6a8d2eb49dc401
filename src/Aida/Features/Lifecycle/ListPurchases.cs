namespace Aida.Features.Lifecycle;

/// <summary><c>GET /api/v1/customers/{id}/purchases</c>: the customer's purchases and refunds, newest first, cursor-paged.</summary>
public static class ListPurchases
{
    private const string Sort = "-purchasedOn";

    public static async Task<Results<Ok<Page<PurchaseResponse>>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, int? limit, string? cursor, AidaDb db, CancellationToken cancellationToken) =>
        (await RunAsync(id, limit, cursor, db, cancellationToken)).ToOk();

    public static async Task<Result<Page<PurchaseResponse>>> RunAsync(Guid id, int? limit, string? cursor, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var take = Paging.Limit(limit, errors);
        var after = ParseCursor(Paging.DecodeCursor(cursor, Sort, 2, errors), errors);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        if (!await db.Set<CustomerLifecycle>().AnyAsync(l => l.Id == id, cancellationToken))
        {
            return new Failure.NotFound("customer");
        }

        var query = db.Set<Purchase>().AsNoTracking().Where(p => p.CustomerId == id);
        if (after is (var day, var afterId))
        {
            query = query.Where(p => p.PurchasedOn <= day && (p.PurchasedOn < day || p.Id.CompareTo(afterId) < 0));
        }

        var rows = await query.OrderByDescending(p => p.PurchasedOn).ThenByDescending(p => p.Id).Take(take + 1).ToListAsync(cancellationToken);
        var page = rows.Take(take).ToList();
        var next = rows.Count > take
            ? Paging.EncodeCursor(Sort, page[^1].PurchasedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), page[^1].Id.ToString())
            : null;
        return Result.Ok(new Page<PurchaseResponse>(page.Select(p => p.ToResponse()).ToList(), next));
    }

    private static (DateOnly Day, Guid Id)? ParseCursor(string?[]? keys, ValidationErrors errors)
    {
        if (keys is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(keys[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) && Guid.TryParse(keys[1], out var id))
        {
            return (day, id);
        }

        errors.Add("cursor", "Is not a cursor returned by this list; start again without it.");
        return null;
    }
}
