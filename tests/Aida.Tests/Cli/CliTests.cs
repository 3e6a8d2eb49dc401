using System.Net;
using Aida.Features.Customers;
using Aida.Features.Customers.Accounts;
using Aida.Features.Customers.Addresses;
using Aida.Features.Customers.Contacts;
using Aida.Platform.Data;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Cli;

/// <summary>The <c>aida</c> executable as a person runs it: real process, real arguments, real exit codes.</summary>
public sealed class CliTests
{
    [Fact]
    public async Task Version_PrintsTheVersion()
    {
        var (exitCode, output, _) = await AidaProcess.RunAsync("version");

        Assert.Equal(0, exitCode);
        Assert.StartsWith("aida 0.", output, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Migrate_EmptyDatabase_AppliesThenIsANoOp(DatabaseKind db)
    {
        await using var database = await TestDatabase.CreateAsync(db, migrated: false);

        var first = await AidaProcess.RunAsync(["migrate", .. Target(database)]);
        var second = await AidaProcess.RunAsync(["migrate", .. Target(database)]);

        Assert.True(first.ExitCode == 0, first.Errors);
        Assert.Contains($"{MigrationRunner.Embedded(database.Settings.Provider).Count} migration(s) applied", first.Output, StringComparison.Ordinal);
        Assert.True(second.ExitCode == 0, second.Errors);
        Assert.Contains("0 migration(s) applied", second.Output, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task SeedDemo_FillsRealisticCustomerData(DatabaseKind db)
    {
        await using var database = await TestDatabase.CreateAsync(db);

        var (exitCode, output, errors) = await AidaProcess.RunAsync(["seed", "--demo", "--customers", "60", .. Target(database)]);

        Assert.True(exitCode == 0, errors);
        Assert.Contains("Added 60 demo customers", output, StringComparison.Ordinal);
        await using var app = await AidaApp.StartAsync(database);
        var counts = await app.QueryAsync(async d => new
        {
            Customers = await d.Set<Customer>().CountAsync(),
            Individuals = await d.Set<Customer>().CountAsync(c => c.Type == CustomerType.Individual),
            Organizations = await d.Set<Customer>().CountAsync(c => c.Type == CustomerType.Organization),
            Accounts = await d.Set<Account>().CountAsync(),
            Contacts = await d.Set<Contact>().CountAsync(),
            Primaries = await d.Set<Contact>().CountAsync(c => c.IsPrimary),
            Addresses = await d.Set<Address>().CountAsync(),
        });
        Assert.Equal(60, counts.Customers);
        Assert.True(counts.Individuals > 0 && counts.Organizations > 0);
        Assert.Equal(counts.Organizations, counts.Accounts);
        Assert.Equal(60, counts.Primaries);
        Assert.True(counts.Contacts >= 60 && counts.Addresses >= 60);

        // The seeded data is valid data: the API serves it like any other.
        var page = await (await app.Client.GetAsync("/api/v1/customers?limit=100")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(60, page.Items().Length);
    }

    [Fact]
    public async Task Seed_WithoutAKind_FailsWithUsage()
    {
        var (exitCode, _, errors) = await AidaProcess.RunAsync("seed", "--data-dir", Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N")));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("--demo", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_DemoOnSqlite_ServesDemoCustomers()
    {
        var dataDir = Directory.CreateTempSubdirectory("aida-cli-").FullName;
        var port = AidaProcess.FreePort();
        await using var server = AidaProcess.Start("--demo", "--data-dir", dataDir, "--urls", $"http://127.0.0.1:{port}");
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        var page = await PollAsync(client, "/api/v1/customers?limit=5", server);

        Assert.Equal(5, page.Items().Length);
        Assert.True(File.Exists(Path.Combine(dataDir, "aida.db")));
    }

    [Fact]
    public async Task Serve_PostgresWithPendingMigrations_RefusesWithInstructions()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Postgres, migrated: false);

        var (exitCode, _, errors) = await AidaProcess.RunAsync("serve", "--database", database.Settings.ConnectionString, "--urls", "http://127.0.0.1:0");

        Assert.Equal(2, exitCode);
        Assert.Contains("aida migrate", errors, StringComparison.Ordinal);
    }

    private static string[] Target(TestDatabase database) => database.Kind == DatabaseKind.Sqlite
        ? ["--data-dir", database.DataDirectory]
        : ["--database", database.Settings.ConnectionString];

    private static async Task<System.Text.Json.JsonElement> PollAsync(HttpClient client, string url, AidaProcess server)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            Assert.False(server.HasExited, $"aida exited early: {server.Errors}");
            try
            {
                var response = await client.GetAsync(url);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return await response.JsonAsync();
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                // Not listening yet.
            }

            Assert.True(DateTime.UtcNow < deadline, $"aida did not serve {url} in time: {server.Errors}");
            await Task.Delay(200);
        }
    }
}
