using Aida.Features.Customers;
using Aida.Features.Lifecycle;
using Aida.Platform.Hosting;

namespace Aida.DemoData;

/// <summary>
/// Demo purchases (serve --demo, seed --demo): most of the first demo customers bought something over the
/// last eighteen months, never before they were customers — some once, some every month or two, a few with a
/// refund or a renewal — recorded through <see cref="RecordPurchase"/> on the day, as an accounting system would, so the value panel, high-value
/// customers, the journey and the automatic moves (a churned customer who buys again is Won Back) show real
/// figures. Deterministic for a given seed.
/// </summary>
public sealed class DemoPurchases : IDemoData
{
    public int Order => 5;

    public string What => "purchases and refunds";

    private static readonly string[] Items = ["Annual licence", "Laptop repair", "Extra seats", "Support package", "Spare parts", "Onsite training"];

    public async Task SeedAsync(DemoSeed demo, CancellationToken cancellationToken)
    {
        var random = new Random(demo.RandomSeed + 9);
        List<(Guid Id, DateTime CreatedAt)> customers;
        await using (var scope = demo.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
            if (await db.Set<Purchase>().IgnoreQueryFilters().AnyAsync(cancellationToken))
            {
                return;
            }

            customers = (await DemoCalendar.StableOrder(CustomerAccess.All(db)).Select(c => new { c.Id, c.CreatedAt }).Take(80).ToListAsync(cancellationToken))
                .Select(c => (c.Id, c.CreatedAt)).ToList();
        }

        var now = demo.Services.GetRequiredService<TimeProvider>().UtcNow();
        var today = DateOnly.FromDateTime(now);
        foreach (var customer in customers.Where(_ => random.Next(4) != 0))
        {
            var currency = random.Next(5) == 0 ? "EUR" : "USD";
            var count = random.Next(1, 9);
            var every = random.Next(25, 70);
            var start = today.AddDays(-random.Next(count * every, 540));
            var became = DateOnly.FromDateTime(customer.CreatedAt);
            start = start < became ? became : start;
            var typical = random.Next(4, 120) * 25m;
            for (var i = 0; i < count; i++)
            {
                var on = start.AddDays(i * every + random.Next(0, 10));
                if (on > today)
                {
                    break;
                }

                var refund = i > 0 && random.Next(12) == 0;
                var amount = refund ? -decimal.Round(typical * 0.4m, 2) : typical + (random.Next(-4, 5) * 5m);
                var at = DemoCalendar.WorkingHours(now, today.DayNumber - on.DayNumber, random);
                at = at > customer.CreatedAt ? at : Min(customer.CreatedAt.AddMinutes(30), now);
                await RecordAsync(demo.Services, customer.Id, at, new RecordPurchase.Request(
                    amount, currency, on, $"{(refund ? "CR" : "INV")}-{on:yyyyMMdd}-{i + 1}", refund ? "Partial refund" : Items[random.Next(Items.Length)],
                    !refund && i > 0 && random.Next(6) == 0), cancellationToken);
            }
        }
    }

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    /// <summary>Recorded on the day of the purchase, so the stage moves it makes (Customer, Won Back) are dated then too.</summary>
    private static async Task RecordAsync(IServiceProvider services, Guid customer, DateTime at, RecordPurchase.Request request, CancellationToken cancellationToken)
    {
        await using var past = DemoClock.At(services, at);
        var result = await RecordPurchase.RunAsync(customer, request, past.Db, cancellationToken);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"A demo purchase was refused: {result.Failure.Detail}");
        }
    }
}
