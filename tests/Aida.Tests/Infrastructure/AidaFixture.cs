namespace Aida.Tests.Infrastructure;

/// <summary>
/// One in-memory Aida server per test class and database, started on first use and stopped after the
/// class: <c>var app = await fixture.AppFor(db);</c> gives each test its own administrator, client
/// address and event-feed start on it. A class's tests run one at a time (xunit), so a test sees only
/// what earlier tests of its own class left behind, and keeps its data apart from theirs by unique values.
/// A class whose server needs other settings derives a fixture that passes them.
/// </summary>
public class AidaFixture : IAsyncLifetime
{
    private readonly IDictionary<string, string?>? _settings;
    private readonly Dictionary<DatabaseKind, Task<AidaHost>> _hosts = [];
    private readonly Lock _lock = new();

    public AidaFixture()
        : this(null)
    {
    }

    protected AidaFixture(IDictionary<string, string?>? settings)
    {
        _settings = settings;
    }

    /// <summary>This test's view of the class's server on <paramref name="db"/>.</summary>
    public async Task<AidaApp> AppFor(DatabaseKind db)
    {
        Task<AidaHost> host;
        lock (_lock)
        {
            if (!_hosts.TryGetValue(db, out host!))
            {
                _hosts[db] = host = StartAsync(db);
            }
        }

        return await AidaApp.ForTestAsync(await host, ownsHost: false);
    }

    private async Task<AidaHost> StartAsync(DatabaseKind db)
    {
        var database = await TestDatabase.CreateAsync(db);
        try
        {
            return await AidaHost.StartAsync(database, _settings);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts.Values)
        {
            try
            {
                await (await host).DisposeAsync();
            }
            catch (Exception) when (!host.IsCompletedSuccessfully)
            {
                // It never started; the test that asked for it has already failed with the reason.
            }
        }
    }
}
