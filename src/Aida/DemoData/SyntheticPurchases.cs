using System.Buffers.Binary;
using System.Diagnostics;
using Aida.Features.Customers;
using Aida.Features.Lifecycle;

namespace Aida.DemoData;

/// <summary>
/// Reproducible purchases in any number, for benchmarks (<c>aida seed --scale … --purchases N</c>): about N
/// purchases over every customer, skewed as real buying is (an exponential share each: many customers buy
/// once or twice, a few dozens of times, some never), over the two years before now, one currency per
/// customer (USD, EUR, GBP), a few of them refunds and some renewals. Loaded through <see cref="BulkInsert"/>
/// a range of customers at a time; each range's purchase figures in <c>customer_lifecycles</c> are then set
/// from its purchases by one set-based UPDATE in the same transaction, so they agree as the API keeps them.
/// Writes no audit entries, events or milestones (benchmark data).
/// </summary>
public sealed class SyntheticPurchases
{
    private static readonly TimeSpan Span = TimeSpan.FromDays(730);
    private static readonly string[] Currencies = ["USD", "USD", "USD", "USD", "EUR", "EUR", "EUR", "GBP", "GBP", "GBP"];
    private static readonly string?[] Descriptions = ["Annual plan", "Monthly plan", "Extra seats", "Repair", "Spare parts", "Support package", "Training day", null];

    private readonly Random _random;
    private readonly DateTime _now;

    public SyntheticPurchases(int seed, DateTime now)
    {
        _random = new Random(seed + 11);
        _now = now;
    }

    /// <summary>How many purchases each customer makes, summing to <paramref name="total"/>.</summary>
    public int[] Shares(int customers, long total)
    {
        var weights = Enumerable.Range(0, customers).Select(_ => -Math.Log(1 - _random.NextDouble())).ToArray();
        var scale = total / Math.Max(weights.Sum(), double.Epsilon);
        var counts = weights.Select(w => (int)Math.Floor(w * scale)).ToArray();
        // The floors leave a remainder: one more each for random customers until the total is met.
        for (var left = total - counts.Sum(c => (long)c); left > 0; left--)
        {
            counts[_random.Next(customers)]++;
        }

        return counts;
    }

    /// <summary>A customer's <paramref name="count"/> purchases, oldest first.</summary>
    public IEnumerable<Purchase> For(Guid customerId, Guid owner, int count)
    {
        var currency = Currencies[_random.Next(Currencies.Length)];
        var typical = Math.Exp(3.5 + (2.5 * _random.NextDouble()));
        var days = Enumerable.Range(0, count).Select(_ => _random.NextDouble()).Order().ToArray();
        var amounts = new List<decimal>();
        for (var i = 0; i < count; i++)
        {
            var on = DateOnly.FromDateTime(_now - Span + (Span * days[i]));
            var createdAt = on.ToDateTime(TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(_random.Next(8 * 60, 20 * 60))), DateTimeKind.Utc);
            createdAt = createdAt > _now ? _now : createdAt;
            // One in thirty after the first is a refund of part of an earlier purchase.
            var refund = i > 0 && _random.Next(30) == 0;
            var amount = refund
                ? -decimal.Round(amounts[_random.Next(amounts.Count)] * (decimal)(0.2 + (0.8 * _random.NextDouble())), 2)
                : decimal.Round((decimal)(typical * (0.5 + _random.NextDouble())), 2);
            if (amount == 0)
            {
                amount = 1;
            }

            amounts.Add(Math.Abs(amount));
            yield return new Purchase
            {
                Id = UuidV7(createdAt),
                CustomerId = customerId,
                Amount = amount,
                Currency = currency,
                PurchasedOn = on,
                ExternalId = $"INV-{i + 1:D6}",
                IsRenewal = !refund && i > 0 && _random.Next(10) == 0,
                Description = refund ? "Refund" : Descriptions[_random.Next(Descriptions.Length)],
                CreatedBy = owner,
                CreatedAt = createdAt,
                UpdatedAt = createdAt,
                Version = 1,
            };
        }
    }

    /// <summary>
    /// Seeds about <paramref name="count"/> purchases over every customer, then sets their lifecycle figures,
    /// a range of customers per transaction.
    /// </summary>
    public static async Task<(long Added, TimeSpan Elapsed)> SeedAsync(
        IServiceProvider services, long count, int seed, IProgress<(long Done, TimeSpan Elapsed)>? progress, CancellationToken cancellationToken)
    {
        var reps = await DemoSeeder.EnsureRepsAsync(services, cancellationToken);
        List<(Guid Id, Guid Owner)> customers;
        SyntheticPurchases generator;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
            customers = (await CustomerAccess.All(db).AsNoTracking().OrderBy(c => c.Id).Select(c => new { c.Id, c.OwnerId }).ToListAsync(cancellationToken))
                .Select((c, i) => (c.Id, c.OwnerId ?? reps[i % reps.Count])).ToList();
            generator = new SyntheticPurchases(seed, db.Clock.UtcNow());
        }

        if (customers.Count == 0)
        {
            return (0, TimeSpan.Zero);
        }

        var shares = generator.Shares(customers.Count, count);
        const int customersPerBatch = 5_000;
        var stopwatch = Stopwatch.StartNew();
        long done = 0;
        for (var start = 0; start < customers.Count; start += customersPerBatch)
        {
            var range = customers.Skip(start).Take(customersPerBatch).ToList();
            var rows = range.SelectMany((c, i) => generator.For(c.Id, c.Owner, shares[start + i])).ToList();
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
            await using var transaction = await db.BeginBulkInsertAsync(cancellationToken);
            await BulkInsert.InsertAsync(db, rows, cancellationToken);
            await SetFiguresAsync(db, range[0].Id, range[^1].Id, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            done += rows.Count;
            progress?.Report((done, stopwatch.Elapsed));
        }

        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AidaDb>().RefreshStatisticsAsync(cancellationToken);
        }

        return (done, stopwatch.Elapsed);
    }

    /// <summary>
    /// The purchase figures of the customers from <paramref name="first"/> to <paramref name="last"/> (by id), from
    /// their purchases, as <see cref="RecordPurchase"/> keeps them: revenue net of refunds, and count and dates of
    /// purchases (not refunds). One statement for both databases: SQLite sums its text amounts as numbers (rounded
    /// back to cents), and tests their sign as numbers, since text compares as text. The ids are written into the
    /// statement — formatted from Guids, so nothing to inject — because SQLite's uuids are text, PostgreSQL's uuid,
    /// and a quoted literal is read as either.
    /// </summary>
    private static Task<int> SetFiguresAsync(AidaDb db, Guid first, Guid last, CancellationToken cancellationToken)
    {
        var sql = $"""
            UPDATE customer_lifecycles SET
                total_revenue = (SELECT ROUND(SUM(p.amount), 2) FROM purchases p WHERE p.customer_id = customer_lifecycles.customer_id),
                purchase_count = (SELECT COUNT(*) FROM purchases p WHERE p.customer_id = customer_lifecycles.customer_id AND CAST(p.amount AS REAL) > 0),
                first_purchase_date = (SELECT MIN(p.purchased_on) FROM purchases p WHERE p.customer_id = customer_lifecycles.customer_id AND CAST(p.amount AS REAL) > 0),
                last_purchase_date = (SELECT MAX(p.purchased_on) FROM purchases p WHERE p.customer_id = customer_lifecycles.customer_id AND CAST(p.amount AS REAL) > 0),
                purchase_currency = (SELECT MIN(p.currency) FROM purchases p WHERE p.customer_id = customer_lifecycles.customer_id),
                version = version + 1
            WHERE customer_id >= '{first:D}' AND customer_id <= '{last:D}'
              AND EXISTS (SELECT 1 FROM purchases p WHERE p.customer_id = customer_lifecycles.customer_id)
            """;
        return db.Database.ExecuteSqlRawAsync(sql, cancellationToken);
    }

    /// <summary>A UUIDv7 of the given time whose random part comes from the seeded generator.</summary>
    private Guid UuidV7(DateTime time)
    {
        Span<byte> bytes = stackalloc byte[16];
        _random.NextBytes(bytes);
        var ms = (ulong)new DateTimeOffset(time, TimeSpan.Zero).ToUnixTimeMilliseconds();
        BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)(ms >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(bytes[2..], (uint)ms);
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }
}
