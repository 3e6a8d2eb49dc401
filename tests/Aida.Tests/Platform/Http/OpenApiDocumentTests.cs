using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Aida.Platform.Data;
using Aida.Tests.Infrastructure;

namespace Aida.Tests.Platform.Http;

/// <summary>
/// The OpenAPI document is what integrators generate clients from. It is linted here with Redocly CLI's
/// recommended rules (tools/openapi-lint); that it tells the truth about each operation is checked on
/// every API call the suite makes (Infrastructure/OpenApiContract).
/// </summary>
public sealed class OpenApiDocumentTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    [Fact]
    public async Task Document_RedoclyRecommendedRules_NoErrorsOrWarnings()
    {
        // Over a real socket: the document names the server it was asked on, and a linter judges that address too.
        await using var app = await AidaApp.StartAsync(DatabaseKind.Sqlite, socket: true);
        var text = await (await app.Client.GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync();
        var file = Path.Combine(Path.GetTempPath(), $"aida-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, text);
        try
        {
            var tool = Path.Combine(RepositoryRoot(), "tools", "openapi-lint");
            var start = new ProcessStartInfo(Path.Combine(tool, "node_modules", ".bin", "redocly"))
            {
                ArgumentList = { "lint", file, "--config", Path.Combine(tool, "redocly.yaml"), "--format=json", "--max-problems=1000" },
                WorkingDirectory = tool,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                Environment = { ["REDOCLY_TELEMETRY"] = "off", ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true" },
            };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();

            var json = await output;
            Assert.True(json.TrimStart().StartsWith('{'), $"redocly printed no report (exit {process.ExitCode}): {json}{await errors}");
            using var report = JsonDocument.Parse(json);
            var problems = report.RootElement.GetProperty("problems").EnumerateArray()
                .Select(p => $"{p.GetProperty("severity").GetString()} {p.GetProperty("ruleId").GetString()}: {p.GetProperty("message").GetString()} " +
                             $"at {p.GetProperty("location")[0].GetProperty("pointer").GetString()}")
                .ToList();
            Assert.True(problems.Count == 0, $"Redocly found {problems.Count} problem(s):\n" + string.Join("\n", problems));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Document_RequestBodies_EachOperationNamesItsOwnUseCase()
    {
        var app = await fixture.AppFor(DatabaseKind.Sqlite);
        var document = await (await app.Client.GetAsync("/openapi/v1.json")).ExpectAsync(HttpStatusCode.OK);

        string BodyOf(string path, string method) =>
            document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("requestBody")
                .GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString()!;

        Assert.Equal("#/components/schemas/CreateCustomerRequest", BodyOf("/api/v1/customers", "post"));
        Assert.Equal("#/components/schemas/LogInteractionRequest", BodyOf("/api/v1/interactions", "post"));
        Assert.Equal("#/components/schemas/MoveDealRequest", BodyOf("/api/v1/deals/{id}/move", "post"));
        Assert.Equal("#/components/schemas/UpdateCustomerRequest", BodyOf("/api/v1/customers/{id}", "patch"));
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Aida.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Aida.slnx not found above " + AppContext.BaseDirectory);
    }
}
