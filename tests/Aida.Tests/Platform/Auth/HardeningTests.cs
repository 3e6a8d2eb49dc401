using System.Net;
using Aida.Tests.Infrastructure;

namespace Aida.Tests.Platform.Auth;

/// <summary>Rate limits, security headers and CORS: what every response carries, whoever asks.</summary>
public sealed class HardeningTests
{
    [Fact]
    public async Task TooManyRequestsWithOneToken_Get429WithRetryAfter_WhileAnotherTokenIsServed()
    {
        await using var app = await AidaApp.StartAsync(DatabaseKind.Sqlite, new Dictionary<string, string?>
        {
            ["RateLimits:PerTokenPerSecond"] = "5",
            ["RateLimits:PerAddressPerSecond"] = "0",
        });
        var (_, other) = await app.UserAsync(Aida.Platform.Auth.Role.Rep);

        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => app.Client.GetAsync("/api/v1/me")));

        var limited = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.OK);
        var problem = await limited[0].ExpectProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal("urn:aida:problem:too-many-requests", problem.Str("type"));
        Assert.True(limited[0].Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        await (await other.GetAsync("/api/v1/me")).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task TooManyRequestsFromOneAddress_Get429EvenWithoutAToken()
    {
        await using var app = await AidaApp.StartAsync(DatabaseKind.Sqlite, new Dictionary<string, string?>
        {
            ["RateLimits:PerAddressPerSecond"] = "5",
        });

        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => app.Anonymous.GetAsync("/api/v1/customers")));

        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task WebSessions_DoNotShareTheTokenBucket_SoManyPeopleOnOneServerAreNotLimitedTogether()
    {
        await using var app = await AidaApp.StartAsync(DatabaseKind.Sqlite, new Dictionary<string, string?>
        {
            ["RateLimits:PerTokenPerSecond"] = "5",
            ["RateLimits:PerAddressPerSecond"] = "0",
        });
        const string password = "a long enough password";
        var (rep, _) = await app.UserAsync(Aida.Platform.Auth.Role.Rep, password: password);
        using var browser = await PageBrowser.SignedInAsync(app, rep, password);

        var pages = new List<Page>();
        for (var i = 0; i < 40; i++)
        {
            pages.Add(await browser.OpenAsync("/customers"));
        }

        Assert.All(pages, page => Assert.Equal(HttpStatusCode.OK, page.Status));
    }

    [Fact]
    public async Task SignInPosts_AreLimitedPerAddress()
    {
        await using var app = await AidaApp.StartAsync(DatabaseKind.Sqlite, new Dictionary<string, string?>
        {
            ["RateLimits:SignInsPerMinute"] = "3",
        });

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = "x@example.com", ["password"] = "whatever" });
            statuses.Add((await app.Anonymous.PostAsync("/signin", form)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.Equal(3, statuses.Count(s => s != HttpStatusCode.TooManyRequests));
    }

    [Theory]
    [InlineData("/api/v1/customers", true)]
    [InlineData("/signin", false)]
    [InlineData("/health/live", false)]
    public async Task Responses_CarrySecurityHeaders(string url, bool authenticated)
    {
        // Over a real socket: only a real server could add a Server header.
        await using var app = await AidaApp.StartAsync(DatabaseKind.Sqlite, socket: true);

        var response = await (authenticated ? app.Client : app.Anonymous).GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.False(response.Headers.Contains("Server"));
    }

    [Fact]
    public async Task CrossOriginCalls_GetNoCorsPermission()
    {
        await using var app = await AidaApp.StartAsync(DatabaseKind.Sqlite);
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/customers");
        preflight.Headers.Add("Origin", "https://evil.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        using var simple = new HttpRequestMessage(HttpMethod.Get, "/api/v1/customers");
        simple.Headers.Add("Origin", "https://evil.example");

        var preflightResponse = await app.Client.SendAsync(preflight);
        var simpleResponse = await app.Client.SendAsync(simple);

        Assert.False(preflightResponse.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(simpleResponse.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.NotEqual(HttpStatusCode.OK, preflightResponse.StatusCode);
    }
}
