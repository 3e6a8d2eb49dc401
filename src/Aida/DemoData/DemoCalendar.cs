using Aida.Features.Customers.Accounts;
using Aida.Features.Customers.Addresses;
using Aida.Features.Customers.Contacts;
using Aida.Features.Customers;
using Aida.Features.Lifecycle;
using Aida.Platform.Hosting;

namespace Aida.DemoData;

/// <summary>
/// When the demo customers became customers: spread over the last two years, on working hours, instead of all
/// at the minute the seeding imported them. Runs first, so every later part dates its records (interactions,
/// notes, deals, purchases) after the customer they belong to. The customer's contacts, account, addresses and
/// lifecycle placement (which migration 0008's trigger stamped at the import) are moved with it.
/// </summary>
public sealed class DemoCalendar : IDemoData
{
    /// <summary>How far back the oldest demo customer goes.</summary>
    public static readonly TimeSpan History = TimeSpan.FromDays(730);

    public int Order => 0;

    public string What => "customers dated over the last two years";

    public async Task SeedAsync(DemoSeed demo, CancellationToken cancellationToken)
    {
        var random = new Random(demo.RandomSeed + 5);
        await using var scope = demo.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
        var now = db.Clock.UtcNow();
        var customers = await StableOrder(db.Set<Customer>()).Select(c => c.Id).ToListAsync(cancellationToken);

        // One customer in each equal slice of the two years, the slices dealt out at random: the oldest is
        // close to two years old, the newest days old, and every quarter has its share.
        var ages = Enumerable.Range(0, customers.Count)
            .Select(slice => History.TotalDays * (slice + random.NextDouble()) / customers.Count)
            .OrderBy(_ => random.Next())
            .ToList();
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        for (var i = 0; i < customers.Count; i++)
        {
            var id = customers[i];
            var created = WorkingHours(now, ages[i], random);
            await db.Set<Customer>().Where(c => c.Id == id)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.CreatedAt, created).SetProperty(c => c.UpdatedAt, created), cancellationToken);
            await db.Set<Contact>().Where(c => c.CustomerId == id)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.CreatedAt, created).SetProperty(c => c.UpdatedAt, created), cancellationToken);
            await db.Set<Account>().Where(a => a.CustomerId == id)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.CreatedAt, created).SetProperty(a => a.UpdatedAt, created), cancellationToken);
            await db.Set<Address>().Where(a => a.CustomerId == id)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.CreatedAt, created).SetProperty(a => a.UpdatedAt, created), cancellationToken);
            await db.Set<CustomerLifecycle>().Where(l => l.Id == id)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.EnteredStageAt, created).SetProperty(l => l.CreatedAt, created).SetProperty(l => l.UpdatedAt, created), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// The demo customers in an order the seed alone decides (their names are unique); ids are not, as two
    /// UUIDv7s made in one millisecond compare at random. Every part reads customers in this order.
    /// </summary>
    public static IOrderedQueryable<Customer> StableOrder(IQueryable<Customer> customers) =>
        customers.OrderBy(c => c.DisplayName).ThenBy(c => c.Id);

    /// <summary>A moment <paramref name="daysAgo"/> days before <paramref name="now"/>, between 8:00 and 18:00 UTC, never after now.</summary>
    public static DateTime WorkingHours(DateTime now, double daysAgo, Random random)
    {
        var day = now.Date.AddDays(-Math.Floor(daysAgo));
        var at = day.AddHours(8).AddMinutes(random.Next(0, 10 * 60));
        return at <= now ? at : now.AddMinutes(-random.Next(1, 120));
    }

    /// <summary>A moment at random between <paramref name="from"/> and <paramref name="to"/>.</summary>
    public static DateTime Between(DateTime from, DateTime to, Random random) =>
        to <= from ? from : Time.Truncate(from + TimeSpan.FromSeconds(random.NextDouble() * (to - from).TotalSeconds));
}
