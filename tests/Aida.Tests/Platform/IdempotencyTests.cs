using System.Net;
using System.Text;
using Aida.Features.Customers;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aida.Tests.Platform;

/// <summary>Idempotency-Key on POST: a retried create returns the first response instead of a second record.</summary>
public sealed class IdempotencyTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Post_SameKeyTwice_CreatesOnceAndReplaysTheFirstResponse(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customersBefore = await app.QueryAsync(d => d.Set<Customer>().CountAsync());
        var body = """{"type":"organization","displayName":"Retry Ltd"}""";

        using var first = await SendAsync(app, "key-1", body);
        using var second = await SendAsync(app, "key-1", body);

        var created = await first.ExpectAsync(HttpStatusCode.Created);
        var replayed = await second.ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(created.Id(), replayed.Id());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(first.ETag(), second.ETag());
        Assert.True(second.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(customersBefore + 1, await app.QueryAsync(d => d.Set<Customer>().CountAsync()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Post_SameKeyDifferentBody_Returns422AndCreatesNothingMore(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customersBefore = await app.QueryAsync(d => d.Set<Customer>().CountAsync());
        using var first = await SendAsync(app, "key-2", """{"type":"organization","displayName":"One Ltd"}""");
        await first.ExpectAsync(HttpStatusCode.Created);

        using var second = await SendAsync(app, "key-2", """{"type":"organization","displayName":"Another Ltd"}""");

        await second.ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(customersBefore + 1, await app.QueryAsync(d => d.Set<Customer>().CountAsync()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Post_RefusedRequest_KeyStaysUsableForTheCorrectedRequest(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var body = """{"type":"organization","displayName":"Fixed Ltd"}""";
        using var refused = await SendAsync(app, "key-3", """{"type":"organization"}""");
        await refused.ExpectProblemAsync(HttpStatusCode.BadRequest, "displayName");

        using var fixedUp = await SendAsync(app, "key-3", body);
        await fixedUp.ExpectAsync(HttpStatusCode.Created);
        Assert.False(fixedUp.Headers.Contains("Idempotent-Replayed"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Post_ConcurrentRetriesWithOneKey_CreateExactlyOnce(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customersBefore = await app.QueryAsync(d => d.Set<Customer>().CountAsync());
        var body = """{"type":"organization","displayName":"Race Ltd"}""";

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => SendAsync(app, "key-4", body)));

        try
        {
            Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, r.StatusCode.ToString()));
            Assert.Equal(customersBefore + 1, await app.QueryAsync(d => d.Set<Customer>().CountAsync()));
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Post_OverlongKey_Returns400NamingTheHeader(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);

        using var response = await SendAsync(app, new string('k', 201), """{"type":"organization","displayName":"Long Key Ltd"}""");

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, "Idempotency-Key");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Post_UsersTeamsAndTokens_HonourTheKeyLikeEveryOtherPost(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var usersBefore = await app.QueryAsync(d => d.Set<Aida.Platform.Auth.User>().CountAsync(u => u.Email == "retry@users.example"));
        var usersBefore2 = await app.QueryAsync(d => d.Set<Aida.Platform.Auth.User>().CountAsync(u => u.Email == "other@users.example"));
        var teamsBefore = await app.QueryAsync(d => d.Set<Aida.Platform.Auth.Team>().CountAsync(t => t.Name == "Retry Team"));
        var teamsBefore2 = await app.QueryAsync(d => d.Set<Aida.Platform.Auth.Team>().CountAsync(t => t.Name == "Other Team"));

        foreach (var (url, body, other) in new[]
                 {
                     ("/api/v1/users", """{"email":"retry@users.example","displayName":"Retry User","role":"rep"}""",
                         """{"email":"other@users.example","displayName":"Other User","role":"rep"}"""),
                     ("/api/v1/teams", """{"name":"Retry Team"}""", """{"name":"Other Team"}"""),
                 })
        {
            using var first = await SendAsync(app, "retry-" + url, body, url);
            using var second = await SendAsync(app, "retry-" + url, body, url);
            Assert.Equal((await first.ExpectAsync(HttpStatusCode.Created)).Id(), (await second.ExpectAsync(HttpStatusCode.Created)).Id());
            Assert.True(second.Headers.Contains("Idempotent-Replayed"));

            using var reused = await SendAsync(app, "retry-" + url, other, url);
            await reused.ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        }

        Assert.Equal(usersBefore + 1, await app.QueryAsync(d => d.Set<Aida.Platform.Auth.User>().CountAsync(u => u.Email == "retry@users.example")));
        Assert.Equal(usersBefore2, await app.QueryAsync(d => d.Set<Aida.Platform.Auth.User>().CountAsync(u => u.Email == "other@users.example")));
        Assert.Equal(teamsBefore + 1, await app.QueryAsync(d => d.Set<Aida.Platform.Auth.Team>().CountAsync(t => t.Name == "Retry Team")));
        Assert.Equal(teamsBefore2, await app.QueryAsync(d => d.Set<Aida.Platform.Auth.Team>().CountAsync(t => t.Name == "Other Team")));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Post_TokenRetriedWithTheSameKey_IsTheSameTokenAndItsSecretIsNeverStored(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var apiTokensBefore = await app.QueryAsync(d => d.Set<Aida.Platform.Auth.ApiToken>().CountAsync(t => t.Name == "ci deploy"));
        const string Body = """{"name":"ci deploy","scope":"read"}""";

        using var first = await SendAsync(app, "token-key", Body, "/api/v1/me/tokens");
        using var retry = await SendAsync(app, "token-key", Body, "/api/v1/me/tokens");

        var created = await first.ExpectAsync(HttpStatusCode.Created);
        var replayed = await retry.ExpectAsync(HttpStatusCode.Created);
        var secret = created.Str("secret");
        Assert.StartsWith("aida_", secret, StringComparison.Ordinal);
        Assert.Equal(created.GetProperty("token").Id(), replayed.GetProperty("token").Id());
        // Shown once: the replay cannot show it again, because it is kept nowhere in clear.
        Assert.Equal(System.Text.Json.JsonValueKind.Null, replayed.GetProperty("secret").ValueKind);
        var stored = await app.QueryAsync(d => d.Set<Aida.Platform.Http.IdempotencyRecord>().AsNoTracking().SingleAsync(r => r.Key == "token-key"));
        Assert.DoesNotContain(secret, stored.Body!, StringComparison.Ordinal);
        Assert.Equal(apiTokensBefore + 1, await app.QueryAsync(d => d.Set<Aida.Platform.Auth.ApiToken>().CountAsync(t => t.Name == "ci deploy")));
    }

    /// <summary>The class, not the instance: no POST of the API can be mapped without the idempotency filter.</summary>
    [Fact]
    public async Task EveryApiPost_HonoursIdempotencyKey()
    {
        var app = await fixture.AppFor(DatabaseKind.Sqlite);
        var endpoints = app.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true
                        && e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods.Contains("POST") == true)
            .ToList();

        Assert.True(endpoints.Count > 20, $"Only {endpoints.Count} POST endpoints found.");
        var without = endpoints.Where(e => e.Metadata.GetMetadata<Aida.Platform.Http.IdempotentEndpoint>() is null).Select(e => e.RoutePattern.RawText).ToList();
        Assert.True(without.Count == 0, "POST endpoints without Idempotency-Key: " + string.Join(", ", without));
    }

    private static async Task<HttpResponseMessage> SendAsync(AidaApp app, string key, string json, string url = "/api/v1/customers")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", key);
        return await app.Client.SendAsync(request);
    }
}
