using System.Net;
using System.Text.Json;
using Aida.Tests.Infrastructure;

namespace Aida.Tests.Platform.Http;

/// <summary>Every request has an id, echoed to the caller and stamped on what it changed, so a change can be traced to its call.</summary>
public sealed class RequestIdTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    private const string Header = "X-Request-Id";

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Post_SaneRequestId_IsEchoedAndStoredOnAuditEntry(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var requestId = Builders.Unique("client-req.42:");

        var response = await PostCustomerAsync(app, requestId);

        var created = await response.ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(requestId, Assert.Single(response.Headers.GetValues(Header)));
        var audit = await AuditOfAsync(app, created.Id());
        Assert.Equal(requestId, audit.Str("requestId"));
    }

    [Theory, MemberData(nameof(UnsafeIds))]
    public async Task Post_UnsafeRequestId_IsReplacedInResponseAndAudit(DatabaseKind db, string unsafeId)
    {
        var app = await fixture.AppFor(db);

        var response = await PostCustomerAsync(app, unsafeId);

        var created = await response.ExpectAsync(HttpStatusCode.Created);
        var echoed = Assert.Single(response.Headers.GetValues(Header));
        Assert.NotEqual(unsafeId, echoed);
        Assert.Matches("^[A-Za-z0-9._:-]{1,128}$", echoed);
        Assert.Equal(echoed, (await AuditOfAsync(app, created.Id())).Str("requestId"));
    }

    public static TheoryData<DatabaseKind, string> UnsafeIds => DatabaseCases.Cross(
        "abc def<script>",
        new string('x', 129),
        "id\"with'quotes");

    private static async Task<HttpResponseMessage> PostCustomerAsync(AidaApp app, string requestId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/customers")
        {
            Content = new StringContent(
                JsonSerializer.Serialize(new { type = "organization", displayName = Builders.Unique("Traced ") }),
                System.Text.Encoding.UTF8,
                "application/json"),
        };
        request.Headers.TryAddWithoutValidation(Header, requestId);
        return await app.Client.SendAsync(request);
    }

    private static async Task<JsonElement> AuditOfAsync(AidaApp app, Guid customerId)
    {
        var page = await (await app.Client.GetAsync($"/api/v1/audit?entityType=customer&entityId={customerId}")).ExpectAsync(HttpStatusCode.OK);
        return Assert.Single(page.Items());
    }
}
