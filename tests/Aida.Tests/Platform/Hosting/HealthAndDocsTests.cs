using System.Net;
using System.Text.Json;
using Aida.Platform.Data;
using Aida.Tests.Infrastructure;
using Aida.Tests.Platform.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Aida.Tests.Platform.Hosting;

/// <summary>What operators and integrators rely on without signing in: health probes, the OpenAPI document and its reference page.</summary>
public sealed class HealthAndDocsTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Live_RunningServer_Returns200Healthy(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);

        var response = await app.Client.GetAsync("/health/live");

        var body = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("healthy", body.Str("status"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Ready_DatabaseReachableAndCurrent_Returns200HealthyWithDatabaseCheck(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);

        var response = await app.Client.GetAsync("/health/ready");

        var body = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("healthy", body.Str("status"));
        Assert.Equal("healthy", body.GetProperty("checks").GetProperty("database").Str("status"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Ready_SchemaBehindThisBuild_Returns503Unhealthy(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        var settings = app.Services.GetRequiredService<DatabaseSettings>();
        await RawSql.ExecuteAsync(settings, "DELETE FROM schema_migrations WHERE version = 1");

        var body = await (await app.Client.GetAsync("/health/ready")).ExpectAsync(HttpStatusCode.ServiceUnavailable);

        Assert.Equal("unhealthy", body.Str("status"));
        Assert.Equal("unhealthy", body.GetProperty("checks").GetProperty("database").Str("status"));
    }

    [Fact]
    public async Task OpenApi_Document_IsJsonWithCustomerPathsAndSpecEnumSpellings()
    {
        var app = await fixture.AppFor(DatabaseKind.Sqlite);

        var document = await (await app.Client.GetAsync("/openapi/v1.json")).ExpectAsync(HttpStatusCode.OK);

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/customers", paths);
        Assert.Contains("/api/v1/customers/{id}", paths);
        Assert.Contains("/api/v1/customers/{customerId}/contacts", paths);
        var enums = EnumValues(document).ToList();
        Assert.Contains(enums, e => e.Contains("organization") && e.Contains("individual"));
        Assert.Contains(enums, e => e.Contains("parent_child"));
        Assert.Contains(enums, e => e.Contains("201-500"));
        Assert.DoesNotContain(enums, e => e.Contains("Organization") || e.Contains("ParentChild"));
    }

    [Fact]
    public async Task ApiDocs_ReferencePage_Returns200Html()
    {
        var app = await fixture.AppFor(DatabaseKind.Sqlite);

        var response = await app.Client.GetAsync("/api/docs/index.html");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Every <c>enum</c> list anywhere in the document.</summary>
    private static IEnumerable<HashSet<string>> EnumValues(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name == "enum" && property.Value.ValueKind == JsonValueKind.Array)
                {
                    yield return property.Value.EnumerateArray()
                        .Where(v => v.ValueKind == JsonValueKind.String)
                        .Select(v => v.GetString()!)
                        .ToHashSet(StringComparer.Ordinal);
                }
                else
                {
                    foreach (var nested in EnumValues(property.Value))
                    {
                        yield return nested;
                    }
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var nested in element.EnumerateArray().SelectMany(EnumValues))
            {
                yield return nested;
            }
        }
    }
}
