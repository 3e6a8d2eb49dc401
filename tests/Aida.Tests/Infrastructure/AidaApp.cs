using System.Net.Http.Headers;
using Aida.Platform.Auth;
using System.Net.Http.Json;
using Aida.Platform.Events;
using Aida.Platform.Http;
using Aida.Platform.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Aida.Platform.Hosting;
using Microsoft.EntityFrameworkCore;
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
        Address = address;
        Client = NewClient(null);
        Anonymous = NewClient(null);
    }

    public Uri Address { get; }

    /// <summary>Signed in with an administrator's API token (set up by <see cref="StartAsync(TestDatabase, IDictionary{string, string})"/>).</summary>
    public HttpClient Client { get; }

    /// <summary>No credentials at all.</summary>
    public HttpClient Anonymous { get; }

    public User Admin { get; private set; } = null!;

    /// <summary>A new user of <paramref name="role"/> (in <paramref name="teamId"/>), and a client that acts as them with an API token.</summary>
    public async Task<(User User, HttpClient Client)> UserAsync(Role role, Guid? teamId = null, TokenScope scope = TokenScope.Write, string? password = null)
    {
        await using var services = _app.Services.CreateAsyncScope();
        var db = services.ServiceProvider.GetRequiredService<AidaDb>();
        var errors = new ValidationErrors();
        var name = $"{role} {Guid.NewGuid().ToString("N")[..6]}";
        var user = await UserAdministration.AddUserAsync(db,
            new UserAdministration.NewUser($"{name.Replace(' ', '.')}@test.example", name, role, teamId, null, password), errors, CancellationToken.None)
            ?? throw new InvalidOperationException(string.Join("; ", errors.ToDictionary().Select(kv => $"{kv.Key}: {string.Join(", ", kv.Value)}")));
        var (_, secret) = UserAdministration.AddToken(db, user, "tests", scope, null);
        await db.SaveChangesAsync();
        return (user, NewClient(secret));
    }

    /// <summary>A team, optionally managed by <paramref name="managerId"/>.</summary>
    public async Task<Team> TeamAsync(Guid? managerId = null)
    {
        await using var services = _app.Services.CreateAsyncScope();
        var db = services.ServiceProvider.GetRequiredService<AidaDb>();
        var team = new Team { Name = $"Team {Guid.NewGuid().ToString("N")[..8]}", ManagerId = managerId };
        db.Add(team);
        await db.SaveChangesAsync();
        return team;
    }

    public HttpClient NewClient(string? bearerToken)
    {
        // Every API exchange of the suite is checked against the OpenAPI document (OpenApiContract).
        var client = new HttpClient(new OpenApiContractHandler(() => Client)) { BaseAddress = Address };
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (bearerToken is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        }

        return client;
    }

    public IServiceProvider Services => _app.Services;

    public string DataDirectory => _database.DataDirectory;

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
        var aida = new AidaApp(database, app, new Uri(address));
        var (admin, adminClient) = await aida.UserAsync(Role.Admin);
        aida.Admin = admin;
        aida.Client.DefaultRequestHeaders.Authorization = adminClient.DefaultRequestHeaders.Authorization;
        adminClient.Dispose();
        await aida.FeedStartAsync();
        return aida;
    }

    private string? _feedStart;

    /// <summary>The event feed's cursor after the set-up events (the administrator and its token), waiting for them if needed.</summary>
    public async Task<string> FeedStartAsync()
    {
        if (_feedStart is not null)
        {
            return _feedStart;
        }

        var setupEvents = await QueryAsync(d => d.Set<OutboxEvent>().IgnoreQueryFilters().CountAsync(e => e.CustomerId == null));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        string? cursor = null;
        var seen = 0;
        while (seen < setupEvents && DateTime.UtcNow < deadline)
        {
            var page = await (await Client.GetAsync($"/api/v1/events?limit={setupEvents - seen}" + (cursor is null ? "" : $"&after={Uri.EscapeDataString(cursor)}")))
                .Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
            var items = page.GetProperty("items").GetArrayLength();
            seen += items;
            cursor = page.GetProperty("nextCursor").GetString();
            if (items == 0)
            {
                await Task.Delay(100);
            }
        }

        return _feedStart = cursor ?? "";
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
        Anonymous.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _database.DisposeAsync();
    }
}
