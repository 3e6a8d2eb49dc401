using Aida.Features.Customers;
using Aida.Features.Import;
using Aida.Platform.Hosting;

namespace Aida.DemoData;

/// <summary>
/// Demo data for trying Aida out (serve --demo, seed --demo): a handful of sales reps owning synthetic
/// individuals and organisations with unique names, loaded through the import path, then every registered
/// <see cref="IDemoData"/> part in order (their dates over two years, connections, history, deals, leads, purchases)
/// adds what makes the CRM look lived-in; the demo admin, once created, gets a working day of its own.
/// </summary>
public sealed class DemoSeeder(IServiceProvider services, IEnumerable<IDemoData> parts, ILogger<DemoSeeder> logger, TimeProvider clock) : IDemoSeeder
{
    public const int DefaultCustomers = 250;
    public const int DefaultSeed = 2026;
    private const string RepDomain = "@demo.aida.invalid";

    /// <summary>Seeds only when the database has no customers yet (serve --demo); returns how many were added.</summary>
    public async Task<int> EnsureAsync(CancellationToken cancellationToken)
    {
        await using (var scope = services.CreateAsyncScope())
        {
            if (await scope.ServiceProvider.GetRequiredService<AidaDb>().Set<Customer>().AnyAsync(cancellationToken))
            {
                return 0;
            }
        }

        return (int)(await SeedAsync(DefaultCustomers, DefaultSeed, cancellationToken)).Imported;
    }

    public Task GiveWorkingDayAsync(Guid userId, CancellationToken cancellationToken) =>
        DemoWorkingDay.GiveAsync(services, userId, cancellationToken);

    public async Task<ImportResult> SeedAsync(int count, int seed, CancellationToken cancellationToken)
    {
        // The first start with --demo spends most of its seconds here: say what is happening, step by step.
        var started = clock.GetTimestamp();
        var ordered = parts.OrderBy(p => p.Order).ToList();
        var steps = ordered.Count + 1;
        logger.LogInformation("Adding demo data, step {Step} of {Steps}: {Customers} customers with their contacts, addresses and accounts", 1, steps, count);
        var owners = await EnsureRepsAsync(services, cancellationToken);
        var rows = new SyntheticCustomers(seed, owners, uniqueNames: true).Generate(count).ToAsyncEnumerable();
        var result = await services.GetRequiredService<CustomerImporter>().ImportAsync(rows, new ImportOptions(), null, cancellationToken);
        var demo = new DemoSeed(services, owners, seed);
        for (var i = 0; i < ordered.Count; i++)
        {
            logger.LogInformation("Adding demo data, step {Step} of {Steps}: {What}", i + 2, steps, ordered[i].What);
            await ordered[i].SeedAsync(demo, cancellationToken);
        }

        logger.LogInformation("Demo data added: {Customers} customers in {Seconds:0.0} s", result.Imported, clock.GetElapsedTime(started).TotalSeconds);
        return result;
    }

    public static async Task<List<Guid>> EnsureRepsAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
        var reps = await db.Set<User>().Where(u => u.Email.EndsWith(RepDomain)).OrderBy(u => u.Email).Select(u => u.Id).ToListAsync(cancellationToken);
        if (reps.Count > 0)
        {
            return reps;
        }

        var now = db.Clock.UtcNow();
        // One sales team: its manager first, then the reps who own the demo customers with them.
        var team = new Team { Name = "Demo Sales", CreatedAt = now, UpdatedAt = now };
        db.Add(team);
        string[] names = ["Avery Brooks", "Jordan Lee", "Sam Patel", "Riley Chen", "Morgan Diaz", "Taylor Novak"];
        foreach (var name in names)
        {
            var user = new User
            {
                Email = name.ToLowerInvariant().Replace(' ', '.') + RepDomain,
                DisplayName = name,
                Role = reps.Count == 0 ? Role.Manager : Role.Rep,
                TeamId = team.Id,
                CreatedAt = now,
                UpdatedAt = now,
            };
            db.Add(user);
            reps.Add(user.Id);
        }

        await db.SaveChangesAsync(cancellationToken);
        team.ManagerId = reps[0]; // saved after the users it refers to exist
        await db.SaveChangesAsync(cancellationToken);
        return reps;
    }
}

public static class DemoDataModule
{
    /// <summary>The demo parts, in the order they build on each other; serve --demo and seed --demo run them.</summary>
    public static IServiceCollection AddDemoData(this IServiceCollection services)
    {
        services.AddSingleton<IDemoData, DemoCalendar>();
        services.AddSingleton<IDemoData, DemoCustomers>();
        services.AddSingleton<IDemoData, DemoInteractions>();
        services.AddSingleton<IDemoData, DemoDeals>();
        services.AddSingleton<IDemoData, DemoLeads>();
        services.AddSingleton<IDemoData, DemoPurchases>();
        services.AddSingleton<DemoSeeder>();
        services.AddSingleton<IDemoSeeder>(provider => provider.GetRequiredService<DemoSeeder>());
        return services;
    }
}
