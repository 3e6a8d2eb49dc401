using Aida.Features.Customers;
using Aida.Features.Lifecycle;
using Aida.Platform.Hosting;

namespace Aida.DemoData;

/// <summary>
/// Demo purchases (serve --demo, seed --demo): most of the first demo customers bought something over the
/// last eighteen months — some once, some every month or two, a few with a refund or a renewal — recorded
/// through <see cref="RecordPurchase"/> as an accounting system would, so the value panel, high-value
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
        List<Guid> customers;
        await using (var scope = demo.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
            if (await db.Set<Purchase>().IgnoreQueryFilters().AnyAsync(cancellationToken))
            {
                return;
            }

            customers = await CustomerAccess.All(db).OrderBy(c => c.Id).Select(c => c.Id).Take(80).ToListAsync(cancellationToken);
        }

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        foreach (var customer in customers.Where(_ => random.Next(4) != 0))
        {
            var currency = random.Next(5) == 0 ? "EUR" : "USD";
            var count = random.Next(1, 9);
            var every = random.Next(25, 70);
            var start = today.AddDays(-random.Next(count * every, 540));
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
                await RecordAsync(demo.Services, customer, new RecordPurchase.Request(
                    amount, currency, on, $"{(refund ? "CR" : "INV")}-{on:yyyyMMdd}-{i + 1}", refund ? "Partial refund" : Items[random.Next(Items.Length)],
                    !refund && i > 0 && random.Next(6) == 0), cancellationToken);
            }
        }
    }

    private static async Task RecordAsync(IServiceProvider services, Guid customer, RecordPurchase.Request request, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var result = await RecordPurchase.RunAsync(customer, request, scope.ServiceProvider.GetRequiredService<AidaDb>(), cancellationToken);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"A demo purchase was refused: {result.Failure.Detail}");
        }
    }
}
