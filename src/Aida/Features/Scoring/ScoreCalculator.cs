using Aida.Features.Customers;
using Aida.Features.Deals;
using Aida.Features.Interactions;
using Aida.Features.Interactions.Activities;
using Aida.Features.Lifecycle;

namespace Aida.Features.Scoring;

/// <summary>A customer to score and whose it is (for the threshold notifications).</summary>
public sealed record ScoredCustomer(Guid Id, Guid? OwnerId);

/// <summary>
/// Scores a set of customers (a chunk of a full run, the queue, one customer) set-based: four aggregate
/// queries give one row of facts per customer (interactions, overdue activities, closed deals, and the
/// purchase figures Lifecycle keeps), the formulas run over those rows, and the scores are replaced in bulk
/// (one delete, one bulk insert). Health crossings are compared with the stored health before it is
/// replaced and handed to <see cref="ScoreCrossings"/>. The caller owns the write transaction, the lock and the save.
/// </summary>
public static class ScoreCalculator
{
    /// <param name="isIdRange">
    /// <paramref name="customers"/> are every live customer from the first id to the last (a run's chunk): the
    /// queries then read index ranges (customer_id BETWEEN first AND last) instead of matching a list of ids,
    /// which on SQLite is a json_each join the planner cannot range-scan (measured in bench/scoring.sh).
    /// </param>
    public static async Task<int> ScoreAsync(
        AidaDb db, IReadOnlyList<ScoredCustomer> customers, ScoringModel model, DateTime now, CancellationToken cancellationToken, bool isIdRange = false)
    {
        if (customers.Count == 0)
        {
            return 0;
        }

        var ids = customers.Select(c => c.Id).ToList();
        var chunk = isIdRange ? new CustomerChunk(null, ids[0], ids[^1]) : new CustomerChunk(ids, Guid.Empty, Guid.Empty);
        var facts = await FactsAsync(db, chunk, ids, now, cancellationToken);
        var previous = await chunk.Of(db.Set<CustomerScore>().AsNoTracking().Where(s => s.ScoreType == ScoreType.Health && !s.InsufficientData))
            .Select(s => new { s.CustomerId, s.ScoreValue })
            .ToDictionaryAsync(s => s.CustomerId, s => s.ScoreValue, cancellationToken);

        var validUntil = now.AddDays(1);
        var rows = new List<CustomerScore>(customers.Count * ScoreFormulas.Types.Length);
        var crossings = new List<(ScoredCustomer Customer, int Old, int New)>();
        foreach (var customer in customers)
        {
            foreach (var score in ScoreFormulas.Compute(facts[customer.Id], model, now))
            {
                rows.Add(new CustomerScore
                {
                    CustomerId = customer.Id,
                    ScoreType = score.Type,
                    ScoreValue = score.Value,
                    Grade = score.Grade,
                    Factors = JsonSerializer.Serialize(score.Factors, ApiJson.Options),
                    InsufficientData = score.InsufficientData,
                    CalculatedAt = now,
                    ValidUntil = validUntil,
                });
                // A first score, or one from no data, crosses nothing: there is no earlier measurement to cross from.
                if (score.Type == ScoreType.Health && !score.InsufficientData && previous.TryGetValue(customer.Id, out var old) && old != score.Value)
                {
                    crossings.Add((customer, old, score.Value));
                }
            }
        }

        await chunk.Of(db.Set<CustomerScore>()).ExecuteDeleteAsync(cancellationToken);
        await BulkInsert.InsertAsync(db, rows, cancellationToken);

        var crossed = 0;
        foreach (var (customer, old, @new) in crossings)
        {
            crossed += await ScoreCrossings.ApplyAsync(db, customer, old, @new, model, cancellationToken);
        }

        return crossed;
    }

    /// <summary>One row of facts per customer of <paramref name="ids"/>, from aggregates (GROUP BY customer_id), never per record.</summary>
    private static async Task<Dictionary<Guid, CustomerFacts>> FactsAsync(AidaDb db, CustomerChunk chunk, List<Guid> ids, DateTime now, CancellationToken cancellationToken)
    {
        var since = now - ScoreFormulas.FrequencyWindow;
        // Every record whoever asks: a score is the customer's, not the viewer's (a private note's interaction still counts).
        var interactions = await chunk.Of(db.Set<Interaction>().IgnoreQueryFilters())
            .Where(i => i.DeletedAt == null)
            .GroupBy(i => i.CustomerId)
            .Select(g => new
            {
                CustomerId = g.Key,
                Last = g.Max(i => i.OccurredAt),
                Recent = g.Count(i => i.OccurredAt >= since),
                Positive = g.Count(i => i.Sentiment == Sentiment.Positive),
                Neutral = g.Count(i => i.Sentiment == Sentiment.Neutral),
                Negative = g.Count(i => i.Sentiment == Sentiment.Negative),
            })
            .ToDictionaryAsync(x => x.CustomerId, cancellationToken);
        var overdue = await chunk.OfActivities(db.Set<Activity>().IgnoreQueryFilters())
            .Where(a => a.DeletedAt == null
                && (a.Status == ActivityStatus.Pending || a.Status == ActivityStatus.InProgress) && a.DueDate < now)
            .GroupBy(a => a.CustomerId!.Value)
            .Select(g => new { CustomerId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.CustomerId, x => x.Count, cancellationToken);
        var deals = await chunk.Of(db.Set<Opportunity>().IgnoreQueryFilters())
            .Where(o => o.DeletedAt == null && o.Status != DealStatus.Open)
            .GroupBy(o => o.CustomerId)
            .Select(g => new { CustomerId = g.Key, Won = g.Count(o => o.Status == DealStatus.Won), Lost = g.Count(o => o.Status == DealStatus.Lost) })
            .ToDictionaryAsync(x => x.CustomerId, cancellationToken);
        var purchases = await chunk.OfLifecycles(db.Set<CustomerLifecycle>().IgnoreQueryFilters().AsNoTracking())
            .Select(l => new { l.Id, l.LastPurchaseDate, l.PurchaseCount, l.TotalRevenue })
            .ToDictionaryAsync(x => x.Id, cancellationToken);

        var facts = new Dictionary<Guid, CustomerFacts>(ids.Count);
        foreach (var id in ids)
        {
            interactions.TryGetValue(id, out var i);
            deals.TryGetValue(id, out var d);
            purchases.TryGetValue(id, out var p);
            facts[id] = new CustomerFacts(
                id,
                i?.Last,
                i?.Recent ?? 0,
                i?.Positive ?? 0,
                i?.Neutral ?? 0,
                i?.Negative ?? 0,
                overdue.GetValueOrDefault(id),
                p?.LastPurchaseDate,
                p?.PurchaseCount ?? 0,
                p?.TotalRevenue ?? 0,
                d?.Won ?? 0,
                d?.Lost ?? 0);
        }

        return facts;
    }

    /// <summary>Live customers of <paramref name="ids"/>, whoever can see them.</summary>
    public static Task<List<ScoredCustomer>> CustomersAsync(AidaDb db, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken) =>
        CustomerAccess.All(db).Where(c => ids.Contains(c.Id)).OrderBy(c => c.Id)
            .Select(c => new ScoredCustomer(c.Id, c.OwnerId)).ToListAsync(cancellationToken);
}

/// <summary>Which customers' rows a query reads: a list of ids, or every id from <see cref="First"/> to <see cref="Last"/>.</summary>
internal sealed record CustomerChunk(List<Guid>? Ids, Guid First, Guid Last)
{
    public IQueryable<T> Of<T>(IQueryable<T> rows)
        where T : class
    {
        var (ids, first, last) = (Ids, First, Last);
        return rows switch
        {
            IQueryable<Interaction> i => (IQueryable<T>)(ids is null
                ? i.Where(x => x.CustomerId.CompareTo(first) >= 0 && x.CustomerId.CompareTo(last) <= 0)
                : i.Where(x => ids.Contains(x.CustomerId))),
            IQueryable<Opportunity> o => (IQueryable<T>)(ids is null
                ? o.Where(x => x.CustomerId.CompareTo(first) >= 0 && x.CustomerId.CompareTo(last) <= 0)
                : o.Where(x => ids.Contains(x.CustomerId))),
            IQueryable<CustomerScore> s => (IQueryable<T>)(ids is null
                ? s.Where(x => x.CustomerId.CompareTo(first) >= 0 && x.CustomerId.CompareTo(last) <= 0)
                : s.Where(x => ids.Contains(x.CustomerId))),
            _ => throw new NotSupportedException(typeof(T).Name),
        };
    }

    public IQueryable<Activity> OfActivities(IQueryable<Activity> rows)
    {
        var (ids, first, last) = (Ids, First, Last);
        return ids is null
            ? rows.Where(x => x.CustomerId != null && ((Guid)x.CustomerId).CompareTo(first) >= 0 && ((Guid)x.CustomerId).CompareTo(last) <= 0)
            : rows.Where(x => x.CustomerId != null && ids.Contains((Guid)x.CustomerId));
    }

    public IQueryable<CustomerLifecycle> OfLifecycles(IQueryable<CustomerLifecycle> rows)
    {
        var (ids, first, last) = (Ids, First, Last);
        return ids is null
            ? rows.Where(x => x.Id.CompareTo(first) >= 0 && x.Id.CompareTo(last) <= 0)
            : rows.Where(x => ids.Contains(x.Id));
    }
}
