using Aida.Features.Customers;

namespace Aida.Features.Lifecycle;

public sealed record HighValueCustomer(Guid CustomerId, string DisplayName, decimal TotalRevenue, int PurchaseCount, DateOnly? LastPurchaseDate, StageSummary Stage);

/// <summary>Currencies with customers in them, so a client can ask for each.</summary>
public sealed record ValueCurrency(string Currency, int Customers);

public sealed record HighValuePage(string? Currency, IReadOnlyList<ValueCurrency> Currencies, IReadOnlyList<HighValueCustomer> Items, string? NextCursor);

/// <summary>
/// <c>GET /api/v1/customers/high-value</c> (spec 004): customers in the viewer's reach ranked by lifetime
/// value, highest first, cursor-paged. Revenue of different currencies is never compared: one currency at a
/// time, the one most customers in reach buy in unless <c>currency</c> names another (as the deal forecast
/// does), with every currency in reach listed.
/// </summary>
public static class ListHighValueCustomers
{
    private const string Sort = "-totalRevenue";

    public static async Task<Results<Ok<HighValuePage>, ValidationProblem, ProblemHttpResult>> Handle(
        string? currency, int? limit, string? cursor, AidaDb db, CancellationToken cancellationToken) =>
        (await RunAsync(currency, limit, cursor, db, cancellationToken)).ToOk();

    public static async Task<Result<HighValuePage>> RunAsync(string? currency, int? limit, string? cursor, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var take = Paging.Limit(limit, errors);
        var chosen = Money.Currency(errors, "currency", currency);
        var keys = Paging.DecodeCursor(cursor, Sort, 3, errors);
        (double Revenue, Guid Id)? after = null;
        if (keys is not null)
        {
            if (double.TryParse(keys[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var revenue) && Guid.TryParse(keys[2], out var id) && keys[0] is { Length: 3 })
            {
                after = (revenue, id);
                if (chosen is not null && chosen != keys[0])
                {
                    errors.Add("cursor", "Was made for another currency; start again without it.");
                }

                chosen = keys[0];
            }
            else
            {
                errors.Add("cursor", "Is not a cursor returned by this list; start again without it.");
            }
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        // The lifecycle's filter is the customer's reach: a customer out of reach is neither listed nor counted.
        var valued = db.Set<CustomerLifecycle>().AsNoTracking().Where(l => l.PurchaseCurrency != null);
        var currencies = (await valued.GroupBy(l => l.PurchaseCurrency!).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken))
            .Select(c => new ValueCurrency(c.Key, c.Count)).OrderByDescending(c => c.Customers).ThenBy(c => c.Currency, StringComparer.Ordinal).ToList();
        var shown = chosen ?? currencies.FirstOrDefault()?.Currency;
        if (shown is null)
        {
            return Result.Ok(new HighValuePage(null, currencies, [], null));
        }

        // Ranked as a double, the one numeric type both databases order and index alike (migration 0009's
        // index is on this expression); numeric(15, 2) values are exact in a double's 53 bits.
        var query = valued.Where(l => l.PurchaseCurrency == shown);
        if (after is (var lastRevenue, var lastId))
        {
            query = query.Where(l => (double)l.TotalRevenue <= lastRevenue && ((double)l.TotalRevenue < lastRevenue || l.Id.CompareTo(lastId) < 0));
        }

        var rows = await query
            .OrderByDescending(l => (double)l.TotalRevenue).ThenByDescending(l => l.Id)
            .Take(take + 1)
            .Join(db.Set<Customer>(), l => l.Id, c => c.Id, (l, c) => new { Lifecycle = l, c.DisplayName })
            .ToListAsync(cancellationToken);
        rows = rows.OrderByDescending(r => r.Lifecycle.TotalRevenue).ThenByDescending(r => r.Lifecycle.Id.ToString(), StringComparer.Ordinal).ToList();
        var page = rows.Take(take).ToList();
        var stages = await StageCatalog.LoadAsync(db, cancellationToken);
        var next = rows.Count > take
            ? Paging.EncodeCursor(Sort, shown, ((double)page[^1].Lifecycle.TotalRevenue).ToString("R", CultureInfo.InvariantCulture), page[^1].Lifecycle.Id.ToString())
            : null;
        return Result.Ok(new HighValuePage(
            shown,
            currencies,
            page.Select(r => new HighValueCustomer(r.Lifecycle.Id, r.DisplayName, r.Lifecycle.TotalRevenue, r.Lifecycle.PurchaseCount,
                r.Lifecycle.LastPurchaseDate, stages.Summary(r.Lifecycle.CurrentStageId))).ToList(),
            next));
    }
}
