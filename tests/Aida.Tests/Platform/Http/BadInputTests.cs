using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Aida.Tests.Infrastructure;

namespace Aida.Tests.Platform.Http;

/// <summary>
/// Bad input is the client's mistake: a 4xx RFC 9457 problem that names the field, never a 500, and
/// never a half-written record.
/// </summary>
public sealed class BadInputTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    private const string Customers = "/api/v1/customers";

    public static TheoryData<DatabaseKind, string, string> WrongTypes => DatabaseCases.Cross(
        ("""{"type": "organization", "displayName": 5}""", "displayName"),
        ("""{"type": "organization", "displayName": "Typed Ltd", "primaryContact": "x"}""", "primaryContact"),
        ("""{"type": "organization", "displayName": "Typed Ltd", "addresses": [{"addressType": "billing", "streetLine1": "1 Road", "city": "Town", "country": 5}]}""",
            "addresses[0].country"));

    public static TheoryData<DatabaseKind, string, string> BadQueries => DatabaseCases.Cross(
        ("limit=abc", "limit"),
        ("limit=0", "limit"),
        ("status=nope", "status"),
        ("createdAfter=yesterday", "createdAfter"),
        ("sort=bogus", "sort"));

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Post_MalformedJson_Returns400MalformedRequestNamingBodyAndStoresNothing(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var stored = await Stored.CountAsync(app);

        var problem = await (await app.Client.PostJsonAsync(Customers, """{"type": "organization", "displayName": """))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "body");

        Assert.Equal("urn:aida:problem:malformed-request", problem.Str("type"));
        Assert.Equal(stored, await Stored.CountAsync(app));
    }

    [Theory, MemberData(nameof(WrongTypes))]
    public async Task Post_WrongJsonType_Returns400NamingFieldAndStoresNothing(DatabaseKind db, string body, string field)
    {
        var app = await fixture.AppFor(db);
        var stored = await Stored.CountAsync(app);

        var problem = await (await app.Client.PostJsonAsync(Customers, body)).ExpectProblemAsync(HttpStatusCode.BadRequest, field);

        Assert.Equal("urn:aida:problem:validation", problem.Str("type"));
        Assert.StartsWith("Has the wrong type", problem.GetProperty("errors").GetProperty(field)[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(stored, await Stored.CountAsync(app));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Post_UnknownEnumValue_Returns400ListingAllowedValuesAndStoresNothing(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var stored = await Stored.CountAsync(app);

        var problem = await (await app.Client.PostJsonAsync(Customers, """{"type": "robot", "displayName": "Robo Corp"}"""))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "type");

        var message = problem.GetProperty("errors").GetProperty("type")[0].GetString();
        Assert.Contains("individual", message, StringComparison.Ordinal);
        Assert.Contains("organization", message, StringComparison.Ordinal);
        Assert.Equal(stored, await Stored.CountAsync(app));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Post_UnknownProperty_Returns400NamingItAndStoresNothing(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var stored = await Stored.CountAsync(app);

        await (await app.Client.PostJsonAsync(Customers, """{"type": "organization", "displayName": "Foo Ltd", "foo": 1}"""))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "foo");

        Assert.Equal(stored, await Stored.CountAsync(app));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Post_BodyOverLimitWithContentLength_Returns413ProblemAndStoresNothing(DatabaseKind db)
    {
        // Over a real socket: the server's own body limit is part of what answers.
        await using var app = await AidaApp.StartAsync(db, socket: true);
        var stored = await Stored.CountAsync(app);
        using var content = new ByteArrayContent(OversizeBody());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var response = await app.Client.PostAsync(Customers, content);

        var problem = await response.ExpectProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("urn:aida:problem:payload-too-large", problem.Str("type"));
        Assert.Equal(stored, await Stored.CountAsync(app));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Post_BodyOverLimitChunked_Returns413ProblemAndStoresNothing(DatabaseKind db)
    {
        // Over a real socket: the server's own body limit is part of what answers.
        await using var app = await AidaApp.StartAsync(db, socket: true);
        var stored = await Stored.CountAsync(app);
        using var content = new StreamContent(new UnseekableStream(OversizeBody()));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var response = await app.Client.PostAsync(Customers, content);

        // Without a known length the client must have sent the body chunked, so the server had to count.
        Assert.Null(content.Headers.ContentLength);
        var problem = await response.ExpectProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("urn:aida:problem:payload-too-large", problem.Str("type"));
        Assert.Equal(stored, await Stored.CountAsync(app));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Post_TextPlainContentType_Returns415ProblemAndStoresNothing(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var stored = await Stored.CountAsync(app);
        using var content = new StringContent("""{"type": "organization", "displayName": "Plain Ltd"}""", Encoding.UTF8, "text/plain");

        var problem = await (await app.Client.PostAsync(Customers, content)).ExpectProblemAsync(HttpStatusCode.UnsupportedMediaType);

        Assert.Equal("urn:aida:problem:unsupported-media-type", problem.Str("type"));
        Assert.Equal(stored, await Stored.CountAsync(app));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Post_NoBody_Returns400NamingBodyAndStoresNothing(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var stored = await Stored.CountAsync(app);

        await (await app.Client.PostAsync(Customers, null)).ExpectProblemAsync(HttpStatusCode.BadRequest, "body");

        Assert.Equal(stored, await Stored.CountAsync(app));
    }

    [Theory, MemberData(nameof(BadQueries))]
    public async Task List_BadQueryValue_Returns400NamingField(DatabaseKind db, string query, string field)
    {
        var app = await fixture.AppFor(db);

        await (await app.Client.GetAsync($"{Customers}?{query}")).ExpectProblemAsync(HttpStatusCode.BadRequest, field);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Patch_InvalidIfMatch_Returns400NamingIfMatchAndChangesNothing(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync("Unmatched Ltd");
        var before = await Stored.CountAsync(app);

        await (await app.Client.PatchJsonAsync($"{Customers}/{customer.Id()}", new { displayName = "Changed Ltd" }, "1"))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "If-Match");

        var current = await (await app.Client.GetAsync($"{Customers}/{customer.Id()}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Unmatched Ltd", current.Str("displayName"));
        Assert.Equal(before, await Stored.CountAsync(app));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Delete_InvalidIfMatch_Returns400NamingIfMatchAndDeletesNothing(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();
        var before = await Stored.CountAsync(app);

        await (await app.Client.DeleteAsync($"{Customers}/{customer.Id()}", "garbage"))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "If-Match");

        await (await app.Client.GetAsync($"{Customers}/{customer.Id()}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(before, await Stored.CountAsync(app));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Get_UnknownRoute_Returns404ProblemJson(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);

        var problem = await (await app.Client.GetAsync("/api/v1/no-such-thing")).ExpectProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal("urn:aida:problem:not-found", problem.Str("type"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Put_RouteWithoutPut_Returns405ProblemJsonAndChangesNothing(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync("Unput Ltd");

        var response = await app.Client.SendJsonAsync(HttpMethod.Put, $"{Customers}/{customer.Id()}", new { displayName = "Put Ltd" }, null);

        var problem = await response.ExpectProblemAsync(HttpStatusCode.MethodNotAllowed);
        Assert.Equal("urn:aida:problem:method-not-allowed", problem.Str("type"));
        var current = await (await app.Client.GetAsync($"{Customers}/{customer.Id()}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Unput Ltd", current.Str("displayName"));
    }

    /// <summary>Valid JSON just over the 1 MiB default limit, so only its size is wrong.</summary>
    private static byte[] OversizeBody() =>
        Encoding.UTF8.GetBytes($$"""{"type": "organization", "displayName": "Big Ltd", "externalId": "{{new string('a', 1024 * 1024)}}"}""");

    /// <summary>A body whose length the client cannot know in advance, so it is sent chunked.</summary>
    private sealed class UnseekableStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            _inner.ReadAsync(buffer, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
