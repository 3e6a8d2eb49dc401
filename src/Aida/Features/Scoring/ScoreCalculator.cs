using Stopwatch = System.Diagnostics.Stopwatch;
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
/// (one upsert). Health crossings are compared with the stored health before it is
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
        AidaDb db, IReadOnlyList<ScoredCustomer> customers, ScoringModel model, DateTime now, CancellationToken cancellationToken, bool isIdRange = false,
        ScoringPhaseTimes? times = null)
    {
        if (customers.Count == 0)
        {
            return 0;
        }

        var ids = customers.Select(c => c.Id).ToList();
        var chunk = isIdRange ? new CustomerChunk(null, ids[0], ids[^1]) : new CustomerChunk(ids, Guid.Empty, Guid.Empty);
        var clock = Stopwatch.StartNew();
        var facts = await FactsAsync(db, chunk, ids, now, cancellationToken);
        times?.Add(ScoringPhaseTimes.Phase.Facts, clock);
        // Every stored score of the chunk, filtered here: with score_type in the WHERE clause SQLite chose the
        // (score_type, score_value) index and read every customer's health score for each chunk (a run grew
        // quadratic); on the customer id alone it reads the chunk's range of the unique (customer_id, score_type) index.
        var previous = (await chunk.Of(db.Set<CustomerScore>().AsNoTracking())
                .Select(s => new { s.CustomerId, s.ScoreType, s.ScoreValue, s.Grade, s.InsufficientData })
                .ToListAsync(cancellationToken))
            .Where(s => s.ScoreType == ScoreType.Health)
            .ToDictionary(s => s.CustomerId, s => new PreviousHealth(s.ScoreValue, s.Grade, s.InsufficientData));
        times?.Add(ScoringPhaseTimes.Phase.Previous, clock);

        // The formulas are pure and a chunk's customers independent: computed on every core (a fifth of a run's
        // time on one), each worker with its own JSON writer, into slots kept in customer-id order for the insert.
        var validUntil = now.AddDays(1);
        var computed = new (CustomerScore[] Rows, ComputedScore Health)[customers.Count];
        Parallel.For(0, customers.Count, () => new ScoreFactorsJson(), (i, _, factorsJson) =>
        {
            var scores = ScoreFormulas.Compute(facts[customers[i].Id], model, now);
            var rows = new CustomerScore[scores.Count];
            for (var s = 0; s < scores.Count; s++)
            {
                var score = scores[s];
                rows[s] = new CustomerScore
                {
                    CustomerId = customers[i].Id,
                    ScoreType = score.Type,
                    ScoreValue = score.Value,
                    Grade = score.Grade,
                    Factors = factorsJson.Write(score.Factors),
                    InsufficientData = score.InsufficientData,
                    CalculatedAt = now,
                    ValidUntil = validUntil,
                };
            }

            computed[i] = (rows, scores.Single(x => x.Type == ScoreType.Health));
            return factorsJson;
        }, factorsJson => factorsJson.Dispose());

        var rows = new List<CustomerScore>(customers.Count * ScoreFormulas.Types.Length);
        var crossings = new List<(ScoredCustomer Customer, int Old, int New)>();
        var gradeCounts = new HealthGradeChanges();
        for (var i = 0; i < customers.Count; i++)
        {
            var (customer, (scores, health)) = (customers[i], computed[i]);
            rows.AddRange(scores);
            var had = previous.GetValueOrDefault(customer.Id);
            gradeCounts.Move(customer.OwnerId, had, health.Grade, health.InsufficientData);
            // A first score, or one from no data, crosses nothing: there is no earlier measurement to cross from.
            if (!health.InsufficientData && had is { InsufficientData: false } && had.Value != health.Value)
            {
                crossings.Add((customer, had.Value, health.Value));
            }
        }

        times?.Add(ScoringPhaseTimes.Phase.Compute, clock);
        // Rows are replaced in place (upsert on the unique (customer, type) key): measured on SQLite about half the
        // work of deleting the chunk's rows and inserting them again, since the key's index is not rewritten. A
        // range also holds customers deleted since their last score: their rows go (the queue drops them too).
        if (chunk.Ids is null)
        {
            var live = CustomerAccess.All(db);
            await chunk.Of(db.Set<CustomerScore>()).Where(s => !live.Any(c => c.Id == s.CustomerId)).ExecuteDeleteAsync(cancellationToken);
        }

        times?.Add(ScoringPhaseTimes.Phase.Delete, clock);
        await BulkInsert.UpsertAsync(db, rows, CustomerScore.UniqueKey, cancellationToken);
        db.AddRange(gradeCounts.Rows());
        times?.Add(ScoringPhaseTimes.Phase.Insert, clock);

        var crossed = 0;
        foreach (var (customer, old, @new) in crossings)
        {
            crossed += await ScoreCrossings.ApplyAsync(db, customer, old, @new, model, cancellationToken);
        }

        times?.Add(ScoringPhaseTimes.Phase.Crossings, clock);
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

internal sealed record PreviousHealth(int Value, string Grade, bool InsufficientData);

/// <summary>
/// The changes a set of scores makes to <see cref="HealthGradeCount"/>: -1 where a customer's health was,
/// +1 where it is now, summed per owner, grade and data flag, so a chunk of ten thousand customers appends
/// a few dozen rows. Owners were read under the scoring lock, which a reassignment's trigger waits for.
/// </summary>
internal sealed class HealthGradeChanges
{
    private readonly Dictionary<(Guid? Owner, string Grade, bool Insufficient), int> _changes = [];

    public void Move(Guid? owner, PreviousHealth? from, string grade, bool insufficientData)
    {
        if (from is not null && from.Grade == grade && from.InsufficientData == insufficientData)
        {
            return;
        }

        if (from is not null)
        {
            Add((owner, from.Grade, from.InsufficientData), -1);
        }

        Add((owner, grade, insufficientData), 1);
    }

    public IEnumerable<HealthGradeCount> Rows() =>
        _changes.Where(c => c.Value != 0)
            .Select(c => new HealthGradeCount { OwnerId = c.Key.Owner, Grade = c.Key.Grade, InsufficientData = c.Key.Insufficient, Customers = c.Value });

    private void Add((Guid?, string, bool) key, int change) => _changes[key] = _changes.GetValueOrDefault(key) + change;
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

/// <summary>Where a run's chunk spends its time (milliseconds per phase), logged with the chunk so a slow run shows its cause.</summary>
public sealed class ScoringPhaseTimes
{
    public enum Phase { Facts, Previous, Compute, Delete, Insert, Crossings, Commit }

    private readonly double[] _milliseconds = new double[Enum.GetValues<Phase>().Length];

    /// <summary>Adds the time since the last phase to <paramref name="phase"/> and restarts the watch.</summary>
    public void Add(Phase phase, Stopwatch watch)
    {
        _milliseconds[(int)phase] += watch.Elapsed.TotalMilliseconds;
        watch.Restart();
    }

    public override string ToString() =>
        string.Join(", ", Enum.GetValues<Phase>().Select(p => string.Create(CultureInfo.InvariantCulture, $"{p} {_milliseconds[(int)p]:F0} ms")));
}

/// <summary>
/// Writes a score's factors as spec 002's <c>{name: {weight, raw, weighted}}</c>, the JSON the serializer wrote
/// (camelCase names, the same number formatting: both go through <see cref="Utf8JsonWriter"/>), with one writer
/// and buffer reused for a whole chunk: serialising a dictionary per score cost more than the chunk's queries.
/// </summary>
internal sealed class ScoreFactorsJson : IDisposable
{
    private readonly System.Buffers.ArrayBufferWriter<byte> _buffer = new(512);
    private readonly Utf8JsonWriter _writer;

    public ScoreFactorsJson() => _writer = new Utf8JsonWriter(_buffer);

    public string Write(IReadOnlyDictionary<string, CustomerScoreFactor> factors)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        _writer.WriteStartObject();
        foreach (var (name, factor) in factors)
        {
            _writer.WriteStartObject(name);
            _writer.WriteNumber("weight", factor.Weight);
            _writer.WriteNumber("raw", factor.Raw);
            _writer.WriteNumber("weighted", factor.Weighted);
            _writer.WriteEndObject();
        }

        _writer.WriteEndObject();
        _writer.Flush();
        return System.Text.Encoding.UTF8.GetString(_buffer.WrittenSpan);
    }

    public void Dispose() => _writer.Dispose();
}
