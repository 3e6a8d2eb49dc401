using System.Net;
using System.Text;
using Aida.Features.Customers;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Platform;

/// <summary>Idempotency-Key on POST: a retried create returns the first response instead of a second record.</summary>
public sealed class IdempotencyTests
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Post_SameKeyTwice_CreatesOnceAndReplaysTheFirstResponse(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        var body = """{"type":"organization","displayName":"Retry Ltd"}""";

        using var first = await SendAsync(app, "key-1", body);
        using var second = await SendAsync(app, "key-1", body);

        var created = await first.ExpectAsync(HttpStatusCode.Created);
        var replayed = await second.ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(created.Id(), replayed.Id());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(first.ETag(), second.ETag());
        Assert.True(second.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(1, await app.QueryAsync(d => d.Set<Customer>().CountAsync()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Post_SameKeyDifferentBody_Returns422AndCreatesNothingMore(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        using var first = await SendAsync(app, "key-2", """{"type":"organization","displayName":"One Ltd"}""");
        await first.ExpectAsync(HttpStatusCode.Created);

        using var second = await SendAsync(app, "key-2", """{"type":"organization","displayName":"Another Ltd"}""");

        await second.ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(1, await app.QueryAsync(d => d.Set<Customer>().CountAsync()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Post_RefusedRequest_KeyStaysUsableForTheCorrectedRequest(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
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
        await using var app = await AidaApp.StartAsync(db);
        var body = """{"type":"organization","displayName":"Race Ltd"}""";

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => SendAsync(app, "key-4", body)));

        try
        {
            Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, r.StatusCode.ToString()));
            Assert.Equal(1, await app.QueryAsync(d => d.Set<Customer>().CountAsync()));
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
        await using var app = await AidaApp.StartAsync(db);

        using var response = await SendAsync(app, new string('k', 201), """{"type":"organization","displayName":"Long Key Ltd"}""");

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, "Idempotency-Key");
    }

    private static async Task<HttpResponseMessage> SendAsync(AidaApp app, string key, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/customers")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", key);
        return await app.Client.SendAsync(request);
    }
}
