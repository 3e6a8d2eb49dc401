using System.Net.Http.Headers;
using Aida.Platform.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Aida.Platform.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Aida.Tests.Infrastructure;

/// <summary>
/// A real Aida server for one test: the production composition (Program.BuildServer), real migrations,
/// Kestrel on a free loopback port, and an HttpClient speaking real HTTP to it.
/// </summary>
public sealed class AidaApp : IAsyncDisposable
{
    private readonly TestDatabase _database;
    private readonly WebApplication _app;

    private AidaApp(TestDatabase database, WebApplication app, Uri address)
    {
        _database = database;
        _app = app;
        Client = new HttpClient { BaseAddress = address };
        Client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public DatabaseKind Kind => _database.Kind;

    public static async Task<AidaApp> StartAsync(DatabaseKind kind, IDictionary<string, string?>? settings = null)
    {
        var database = await TestDatabase.CreateAsync(kind);
        try
        {
            return await StartAsync(database, settings);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the server on an existing test database; throws what start-up throws.</summary>
    public static async Task<AidaApp> StartAsync(TestDatabase database, IDictionary<string, string?>? settings = null)
    {
        var flags = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["DataDir"] = database.DataDirectory,
            ["Database:ConnectionString"] = database.Kind == DatabaseKind.Postgres ? database.Settings.ConnectionString : null,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Aida"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware"] = "None",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            flags[key] = value;
        }

        var configuration = AidaSettings.LoadConfiguration(flags);
        var aidaSettings = AidaSettings.From(configuration);
        var app = Program.BuildServer(aidaSettings, configuration);
        try
        {
            await Startup.PrepareDatabaseAsync(app.Services, aidaSettings with { Migrate = true }, CancellationToken.None);
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new AidaApp(database, app, new Uri(address));
    }

    /// <summary>A database session outside HTTP, for checking what was (or was not) stored.</summary>
    public async Task<T> QueryAsync<T>(Func<AidaDb, Task<T>> query)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AidaDb>());
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _database.DisposeAsync();
    }
}
