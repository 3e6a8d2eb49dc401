using System.Net;
using System.Text.RegularExpressions;
using Aida.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Aida.Tests.Platform.Auth;

/// <summary>
/// Every mapped endpoint, found by asking the running server's routing, refuses a caller without
/// credentials — except the short public list (health checks, sign-in, first-run setup). A new route
/// that forgets its policy fails here without anyone having to remember to add it.
/// </summary>
public sealed partial class PublicEndpointsTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    /// <summary>What may be reached without signing in (ARCHITECTURE.md: health, web forms; issue 4: sign-in and setup).</summary>
    private static readonly HashSet<string> Public =
    [
        "GET /health/live",
        "GET /health/ready",
        "GET /signin",
        "POST /signin",
        "GET /setup",
        "POST /setup",
        // ARCHITECTURE.md: web-form lead capture (issue 7), with its CORS preflight and thank-you page.
        "POST /f/{formKey}",
        "OPTIONS /f/{formKey}",
        "GET /f/{formKey}/thanks",
    ];

    [Fact]
    public async Task EveryEndpointButTheListedPublicOnes_RefusesAnonymousCallers()
    {
        var app = await fixture.AppFor(DatabaseKind.Sqlite);
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Method: m, Route: "/" + e.RoutePattern.RawText!.Trim('/'))))
            .Distinct()
            .ToList();
        Assert.True(endpoints.Count > 30, $"only {endpoints.Count} endpoints found");

        using var anonymous = app.NewHttpClient(allowAutoRedirect: false);
        var open = new List<string>();
        foreach (var (method, route) in endpoints)
        {
            var key = $"{method} {route}";
            using var request = new HttpRequestMessage(new HttpMethod(method), Concrete(route));
            if (method is "POST" or "PATCH" or "PUT")
            {
                // Form posts (sign-in, set-up) bind forms; API routes refuse before reading any body.
                request.Content = route.StartsWith("/api/", StringComparison.Ordinal)
                    ? new StringContent("{}", System.Text.Encoding.UTF8, "application/json")
                    : new FormUrlEncodedContent([]);
            }

            var response = await anonymous.SendAsync(request);
            var refused = response.StatusCode == HttpStatusCode.Unauthorized
                || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location is { IsAbsoluteUri: true, AbsolutePath: "/signin" });
            if (Public.Contains(key))
            {
                Assert.False(refused, $"{key} is public but refused an anonymous caller: {(int)response.StatusCode} {response.Headers.Location}");
            }
            else if (!refused)
            {
                open.Add($"{key} → {(int)response.StatusCode}");
            }
        }

        Assert.True(open.Count == 0, "reachable without credentials: " + string.Join(", ", open));
        Assert.Contains("GET /api/v1/customers", endpoints.Select(e => $"{e.Method} {e.Route}"));
        Assert.Contains("GET /openapi/{documentName}.json", endpoints.Select(e => $"{e.Method} {e.Route}"));
    }

    [Fact]
    public async Task ApiReferencePage_SendsAnonymousVisitorsToSignIn()
    {
        var app = await fixture.AppFor(DatabaseKind.Sqlite);
        using var visitor = app.NewHttpClient(allowAutoRedirect: false);

        var response = await visitor.GetAsync("/api/docs/index.html");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/signin", response.Headers.Location?.AbsolutePath);
    }

    [Theory]
    [InlineData("/api/v1/customers")]
    [InlineData("/openapi/v1.json")]
    public async Task AnonymousApiCall_Gets401ProblemWithAChallenge(string url)
    {
        var app = await fixture.AppFor(DatabaseKind.Sqlite);

        var response = await app.Anonymous.GetAsync(url);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    /// <summary>"/api/v1/customers/{customerId:guid}/contacts/{id}" → a concrete path with fresh ids.</summary>
    /// <summary>The route with a value in each parameter (a fresh id, 1, v1).</summary>
    internal static string Concrete(string route) => RouteParameter().Replace(route, m =>
        m.Value.Contains(":int", StringComparison.Ordinal) ? "1" : m.Value.Contains("documentName", StringComparison.Ordinal) ? "v1" : Guid.NewGuid().ToString());

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();
}
