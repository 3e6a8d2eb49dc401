using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Aida.Platform.Auth;
using Aida.Platform.Data;
using Aida.Platform.Events;
using Aida.Platform.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aida.Tests.Infrastructure;

/// <summary>
/// One test's view of an Aida server (<see cref="AidaHost"/>): its own administrator with an API token, a
/// client speaking HTTP as them, and its own loopback client address (so per-address limits start afresh
/// for each test, as they would on a server of its own). The server is either the test's alone
/// (<see cref="StartAsync(DatabaseKind, IDictionary{string, string}, bool, Action{IServiceCollection})"/>) or shared by a test class
/// (<see cref="AidaFixture"/>), whose tests keep their data apart by unique values.
/// </summary>
public sealed class AidaApp : IAsyncDisposable
{
    private static int _lastAddress = 1;

    private readonly AidaHost _host;
    private readonly bool _ownsHost;
    private readonly IPAddress _remote;

    private AidaApp(AidaHost host, bool ownsHost)
    {
        _host = host;
        _ownsHost = ownsHost;
        _remote = NextLoopbackAddress();
        Client = NewClient(null);
        Anonymous = NewClient(null);
    }

    public Uri Address => _host.Address;

    /// <summary>Signed in with this test's administrator's API token.</summary>
    public HttpClient Client { get; }

    /// <summary>No credentials at all.</summary>
    public HttpClient Anonymous { get; }

    /// <summary>This test's administrator (on a shared server, each test has one of its own).</summary>
    public User Admin { get; private set; } = null!;

    public IServiceProvider Services => _host.Services;

    public string DataDirectory => _host.Database.DataDirectory;

    public DatabaseKind Kind => _host.Database.Kind;

    /// <summary>The database under this server, for a second node (<see cref="StartAsync(TestDatabase, IDictionary{string, string}, bool, Action{IServiceCollection}, bool)"/> with ownsDatabase false).</summary>
    public TestDatabase Database => _host.Database;

    /// <summary>A server of this test's own (in memory unless <paramref name="socket"/>), on a fresh database.</summary>
    public static async Task<AidaApp> StartAsync(
        DatabaseKind kind, IDictionary<string, string?>? settings = null, bool socket = false, Action<IServiceCollection>? services = null)
    {
        var database = await TestDatabase.CreateAsync(kind);
        try
        {
            return await StartAsync(database, settings, socket, services);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts a server of this test's own on an existing test database; throws what start-up throws.</summary>
    /// <param name="services">Services added to the production composition (<see cref="AidaHost.StartAsync"/>).</param>
    /// <param name="ownsDatabase">False for a second node on the database of another server of the test.</param>
    public static async Task<AidaApp> StartAsync(
        TestDatabase database, IDictionary<string, string?>? settings = null, bool socket = false,
        Action<IServiceCollection>? services = null, bool ownsDatabase = true)
    {
        var host = await AidaHost.StartAsync(database, settings, socket, services, ownsDatabase);
        try
        {
            return await ForTestAsync(host, ownsHost: true);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>A test's view of <paramref name="host"/>: a new administrator, and the event feed's cursor as the test starts.</summary>
    internal static async Task<AidaApp> ForTestAsync(AidaHost host, bool ownsHost)
    {
        var aida = new AidaApp(host, ownsHost);
        var (admin, adminClient) = await aida.UserAsync(Role.Admin);
        aida.Admin = admin;
        aida.Client.DefaultRequestHeaders.Authorization = adminClient.DefaultRequestHeaders.Authorization;
        adminClient.Dispose();
        await aida.FeedStartAsync();
        return aida;
    }

    /// <summary>A new user of <paramref name="role"/> (in <paramref name="teamId"/>), and a client that acts as them with an API token.</summary>
    public async Task<(User User, HttpClient Client)> UserAsync(Role role, Guid? teamId = null, TokenScope scope = TokenScope.Write, string? password = null)
    {
        await using var services = Services.CreateAsyncScope();
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
        await using var services = Services.CreateAsyncScope();
        var db = services.ServiceProvider.GetRequiredService<AidaDb>();
        var team = new Team { Name = $"Team {Guid.NewGuid().ToString("N")[..8]}", ManagerId = managerId };
        db.Add(team);
        await db.SaveChangesAsync();
        return team;
    }

    /// <summary>An API client (every exchange checked against the OpenAPI document), with <paramref name="bearerToken"/> if given.</summary>
    public HttpClient NewClient(string? bearerToken)
    {
        var client = new HttpClient(new OpenApiContractHandler(() => Client, CreateHandler())) { BaseAddress = Address };
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (bearerToken is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        }

        return client;
    }

    /// <summary>A plain client, as <c>new HttpClient(new HttpClientHandler { … })</c> would be against a real server.</summary>
    public HttpClient NewHttpClient(bool allowAutoRedirect = true, CookieContainer? cookies = null, bool useCookies = true) =>
        new(CreateHandler(allowAutoRedirect, cookies, useCookies)) { BaseAddress = Address };

    /// <summary>The transport to this test's server, from this test's client address.</summary>
    public HttpMessageHandler CreateHandler(bool allowAutoRedirect = true, CookieContainer? cookies = null, bool useCookies = true) =>
        _host.CreateHandler(_remote, allowAutoRedirect, cookies, useCookies);

    private string? _feedStart;

    /// <summary>
    /// The event feed's cursor as this test began: just after the set-up events of its administrator (and
    /// after everything earlier tests on a shared server wrote), waiting for them to be served if needed.
    /// </summary>
    public async Task<string> FeedStartAsync()
    {
        if (_feedStart is not null)
        {
            return _feedStart;
        }

        // The newest event is this test's administrator's own (its token), which administrators always read.
        var last = await QueryAsync(d => d.Set<OutboxEvent>().IgnoreQueryFilters()
            .Where(e => e.Subject.StartsWith("users/" + Admin.Id))
            .OrderByDescending(e => e.Seq).Select(e => (Guid?)e.Id).FirstOrDefaultAsync())
            ?? throw new InvalidOperationException("Setting up the test's administrator wrote no event to start the feed after.");
        var cursor = _host.FeedCursor;
        await Wait.UntilAsync(async () =>
        {
            var page = await (await Client.GetAsync("/api/v1/events?limit=200" + (cursor is null ? "" : $"&after={Uri.EscapeDataString(cursor)}")))
                .Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
            var items = page.GetProperty("items").EnumerateArray().ToList();
            var index = items.FindIndex(e => e.GetProperty("id").GetGuid() == last);
            if (index < 0)
            {
                cursor = page.GetProperty("nextCursor").GetString();
                return false;
            }

            if (index == items.Count - 1)
            {
                cursor = page.GetProperty("nextCursor").GetString();
                return true;
            }

            // The cursor just after the set-up event: read the page again up to it (cursors are opaque).
            var upTo = await (await Client.GetAsync($"/api/v1/events?limit={index + 1}" + (cursor is null ? "" : $"&after={Uri.EscapeDataString(cursor)}")))
                .Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
            cursor = upTo.GetProperty("nextCursor").GetString();
            return true;
        }, "the event feed never served the test administrator's set-up events", TimeSpan.FromSeconds(60));

        _host.FeedCursor = cursor;
        return _feedStart = cursor ?? "";
    }

    /// <summary>
    /// The newest stored event's sequence number (0 when there is none). On a shared server a test takes it
    /// before acting, and counts only the events after it: what it caused, as a server of its own would hold.
    /// </summary>
    public async Task<long> LastEventSeqAsync() =>
        await QueryAsync(d => d.Set<OutboxEvent>().IgnoreQueryFilters().MaxAsync(e => (long?)e.Seq)) ?? 0;

    /// <summary>A database session outside HTTP, for checking what was (or was not) stored.</summary>
    public async Task<T> QueryAsync<T>(Func<AidaDb, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AidaDb>());
    }

    private static IPAddress NextLoopbackAddress()
    {
        var n = Interlocked.Increment(ref _lastAddress);
        return new IPAddress([127, (byte)(n >> 16), (byte)(n >> 8), (byte)n]);
    }

    /// <summary>Stops this test's own server (its background work too); its database stays for a server started after it.</summary>
    public Task StopServerAsync() => _host.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Anonymous.Dispose();
        if (_ownsHost)
        {
            await _host.DisposeAsync();
        }
    }
}
