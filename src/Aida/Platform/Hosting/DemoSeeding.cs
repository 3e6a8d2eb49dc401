namespace Aida.Platform.Hosting;

/// <summary>Fills an empty database with demo data for <c>serve --demo</c>; the DemoData folder provides it.</summary>
public interface IDemoSeeder
{
    /// <summary>Seeds only when the database holds no customers yet; returns how many customers were added.</summary>
    Task<int> EnsureAsync(CancellationToken cancellationToken);

    /// <summary>Gives a new demo user a day's work on the demo customers (activities, reminders sent), so their first look finds it.</summary>
    Task GiveWorkingDayAsync(Guid userId, CancellationToken cancellationToken);
}

/// <summary>One part of the demo data (a feature's records), run in <see cref="Order"/> after the demo customers exist.</summary>
public interface IDemoData
{
    int Order { get; }

    /// <summary>What this part adds, for the progress shown while demo data is seeded ("deals with their stage history").</summary>
    string What { get; }

    Task SeedAsync(DemoSeed demo, CancellationToken cancellationToken);
}

/// <param name="Users">The demo sales reps who own and work the demo records.</param>
/// <param name="RandomSeed">The same seed makes the same data.</param>
public sealed record DemoSeed(IServiceProvider Services, IReadOnlyList<Guid> Users, int RandomSeed);
