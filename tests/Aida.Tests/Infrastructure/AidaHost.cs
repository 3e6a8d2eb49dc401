using System.Net;
using Aida.Platform.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Aida.Tests.Infrastructure;

/// <summary>
/// A running Aida server: the production composition (Program.BuildServer) on a test database, started
/// through the real migration runner. By default it serves in memory (ASP.NET Core's TestServer: the
/// whole pipeline, no socket); with <c>socket: true</c> it listens with Kestrel on a free loopback port,
/// for what only a real connection shows. Tests talk to it through <see cref="AidaApp"/>.
/// </summary>
public sealed class AidaHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TestServer? _server;
    private readonly bool _ownsDatabase;

    private AidaHost(TestDatabase database, WebApplication app, TestServer? server, Uri address, bool ownsDatabase)
    {
        Database = database;
        _ownsDatabase = ownsDatabase;
        _app = app;
        _server = server;
        Address = address;
    }

    public TestDatabase Database { get; }

    public Uri Address { get; }

    public IServiceProvider Services => _app.Services;

    public bool InMemory => _server is not null;

    /// <summary>Where the previous test on this host stopped reading the event feed (null: the start).</summary>
    internal string? FeedCursor { get; set; }

    /// <summary>Starts the server on <paramref name="database"/>; throws what start-up throws, and then owns nothing.</summary>
    /// <param name="services">Services added to the production composition (a test's own background job, say).</param>
    /// <param name="ownsDatabase">False for a second node on a database another host owns: disposing this host leaves the database.</param>
    public static async Task<AidaHost> StartAsync(
        TestDatabase database, IDictionary<string, string?>? settings = null, bool socket = false,
        Action<IServiceCollection>? services = null, bool ownsDatabase = true)
    {
        var flags = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["DataDir"] = database.DataDirectory,
            ["Database:ConnectionString"] = database.Kind == DatabaseKind.Postgres ? database.Settings.ConnectionString : null,
            ["Logging:LogLevel:Default"] = "Warning",
            // The duplicate scan's worker would scan each test database at start; its tests drive it themselves.
            ["Duplicates:Scan:Enabled"] = "false",
            ["Logging:LogLevel:Aida"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware"] = "None",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            flags[key] = value;
        }

        var configuration = AidaSettings.LoadConfiguration(flags);
        var aidaSettings = AidaSettings.From(configuration);
        var app = Program.BuildServer(aidaSettings, configuration, builder =>
        {
            if (!socket)
            {
                builder.WebHost.UseTestServer();
            }

            services?.Invoke(builder.Services);
        });
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

        if (socket)
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new AidaHost(database, app, null, new Uri(address), ownsDatabase);
        }

        var server = app.GetTestServer();
        return new AidaHost(database, app, server, server.BaseAddress, ownsDatabase);
    }

    /// <summary>
    /// What an <see cref="HttpClientHandler"/> with these settings is to a real server: in memory, the test
    /// server's handler behind the same cookie and redirect handling, the caller seen at
    /// <paramref name="remote"/> (a loopback address, as a local client is over a socket).
    /// </summary>
    public HttpMessageHandler CreateHandler(IPAddress remote, bool allowAutoRedirect = true, CookieContainer? cookies = null, bool useCookies = true)
    {
        if (_server is null)
        {
            var socketHandler = new HttpClientHandler { AllowAutoRedirect = allowAutoRedirect, UseCookies = useCookies };
            if (useCookies && cookies is not null)
            {
                socketHandler.CookieContainer = cookies;
            }

            return socketHandler;
        }

        HttpMessageHandler handler = _server.CreateHandler(context => context.Connection.RemoteIpAddress = remote);
        if (useCookies)
        {
            handler = new InMemoryCookieHandler(cookies ?? new CookieContainer(), handler);
        }

        return allowAutoRedirect ? new InMemoryRedirectHandler(handler) : handler;
    }

    /// <summary>Stops the server as a shutdown does, keeping its database for another server to start on (a restart).</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_ownsDatabase)
        {
            await Database.DisposeAsync();
        }
    }
}

/// <summary>Sends and stores cookies as <see cref="HttpClientHandler"/> does with <c>UseCookies</c>.</summary>
internal sealed class InMemoryCookieHandler(CookieContainer cookies, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        var stored = cookies.GetCookieHeader(uri);
        if (stored.Length > 0)
        {
            var own = request.Headers.TryGetValues("Cookie", out var values) ? string.Join("; ", values) : null;
            request.Headers.Remove("Cookie");
            request.Headers.TryAddWithoutValidation("Cookie", own is null ? stored : $"{own}; {stored}");
        }

        var response = await base.SendAsync(request, cancellationToken);
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            foreach (var setCookie in setCookies)
            {
                try
                {
                    cookies.SetCookies(uri, setCookie);
                }
                catch (CookieException)
                {
                    // Like HttpClientHandler: a cookie the container refuses is ignored.
                }
            }
        }

        return response;
    }
}

/// <summary>Follows redirects as <see cref="HttpClientHandler"/> does with <c>AllowAutoRedirect</c> (SocketsHttpHandler's rules).</summary>
internal sealed class InMemoryRedirectHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private const int MaxRedirects = 50;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        for (var redirects = 0; redirects < MaxRedirects && RedirectUri(request.RequestUri!, response) is { } next; redirects++)
        {
            var status = response.StatusCode;
            response.Dispose();
            request.Headers.Authorization = null;
            request.RequestUri = next;
            var forceGet = status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.MultipleChoices
                ? request.Method == HttpMethod.Post
                : status == HttpStatusCode.SeeOther && request.Method != HttpMethod.Get && request.Method != HttpMethod.Head;
            if (forceGet)
            {
                request.Method = HttpMethod.Get;
                request.Content = null;
                if (request.Headers.TransferEncodingChunked == true)
                {
                    request.Headers.TransferEncodingChunked = false;
                }
            }

            response = await base.SendAsync(request, cancellationToken);
        }

        return response;
    }

    private static Uri? RedirectUri(Uri requestUri, HttpResponseMessage response)
    {
        if (response.StatusCode is not (HttpStatusCode.MultipleChoices or HttpStatusCode.MovedPermanently or HttpStatusCode.Found
            or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect)
            || response.Headers.Location is not { } location)
        {
            return null;
        }

        if (!location.IsAbsoluteUri)
        {
            location = new Uri(requestUri, location);
        }

        if (string.IsNullOrEmpty(location.Fragment) && !string.IsNullOrEmpty(requestUri.Fragment))
        {
            location = new UriBuilder(location) { Fragment = requestUri.Fragment }.Uri;
        }

        // Never from https down to http.
        return requestUri.Scheme == Uri.UriSchemeHttps && location.Scheme == Uri.UriSchemeHttp ? null : location;
    }
}
