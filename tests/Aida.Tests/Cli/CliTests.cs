using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Aida.Platform.Auth;
using Aida.Features.Customers;
using Aida.Features.Customers.Accounts;
using Aida.Features.Customers.Addresses;
using Aida.Features.Customers.Contacts;
using Aida.Features.Leads;
using Aida.Features.Lifecycle;
using Aida.Platform.Data;
using Aida.Platform.Hosting;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Cli;

/// <summary>The <c>aida</c> executable as a person runs it: real process, real arguments, real exit codes.</summary>
public sealed partial class CliTests
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
        await using var app = await AidaApp.StartAsync(database, socket: true);
        var counts = await app.QueryAsync(async d => new
        {
            Customers = await d.Set<Customer>().CountAsync(),
            Individuals = await d.Set<Customer>().CountAsync(c => c.Type == CustomerType.Individual),
            Organizations = await d.Set<Customer>().CountAsync(c => c.Type == CustomerType.Organization),
            Accounts = await d.Set<Account>().CountAsync(),
            Contacts = await d.Set<Contact>().CountAsync(),
            Primaries = await d.Set<Contact>().CountAsync(c => c.IsPrimary),
            Addresses = await d.Set<Address>().CountAsync(),
            FromLeads = await d.Set<Lead>().CountAsync(l => l.Status == LeadStatus.Converted),
        });
        // The 60 asked for, and the customers the demo's converted leads became.
        Assert.True(counts.FromLeads > 0);
        Assert.Equal(60 + counts.FromLeads, counts.Customers);
        Assert.True(counts.Individuals > 0 && counts.Organizations > 0);
        Assert.Equal(counts.Organizations, counts.Accounts);
        Assert.Equal(counts.Customers, counts.Primaries);
        Assert.True(counts.Contacts >= 60 && counts.Addresses >= 60);

        // The seeded data is valid data: the API serves it like any other.
        var page = await (await app.Client.GetAsync("/api/v1/customers?limit=100")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(counts.Customers, page.Items().Length);

        // Demo purchases went through the API's path: every customer's figures are its purchases'.
        var purchases = await app.QueryAsync(d => d.Set<Purchase>().AsNoTracking().ToListAsync());
        var lifecycles = await app.QueryAsync(d => d.Set<CustomerLifecycle>().AsNoTracking().ToListAsync());
        Assert.True(purchases.Count >= 20, $"{purchases.Count} demo purchases");
        Assert.All(lifecycles, l => Assert.Equal(purchases.Where(p => p.CustomerId == l.Id).Sum(p => p.Amount), l.TotalRevenue));
        Assert.All(lifecycles, l => Assert.Equal(purchases.Count(p => p.CustomerId == l.Id && !p.IsRefund), l.PurchaseCount));
    }

    [Fact]
    public async Task Seed_WithoutAKind_FailsWithUsage()
    {
        var (exitCode, _, errors) = await AidaProcess.RunAsync("seed", "--data-dir", Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N")));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("--demo", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_DemoWithRedirectedOutput_WritesTheSignInToAnOwnerOnlyFileNotTheLog_AndServesDemoCustomersToIt()
    {
        var dataDir = Directory.CreateTempSubdirectory("aida-cli-").FullName;
        var signInFile = Path.Combine(dataDir, DemoSignIn.FileName);
        var port = AidaProcess.FreePort();
        var site = $"http://127.0.0.1:{port}";
        string signIn;
        await using (var server = AidaProcess.Start("--demo", "--data-dir", dataDir, "--urls", site))
        {
            // Standard output is a pipe here, as in 'aida --demo > aida.log': it gets the file's path, never the secrets.
            await WaitForAsync(server, () => server.Output.Contains($"Demo sign-in written to {signInFile}", StringComparison.Ordinal) ? "" : null);
            signIn = await File.ReadAllTextAsync(signInFile);
            var token = TokenPattern().Match(signIn).Value;
            var password = PasswordPattern().Match(signIn).Groups[1].Value;
            Assert.Contains($"{site}/signin  email {DemoAdmin.Email}  password ", signIn, StringComparison.Ordinal);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(signInFile));
            }

            using var client = new HttpClient { BaseAddress = new Uri(site) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

            var page = await PollAsync(client, "/api/v1/customers?limit=5", server);

            Assert.Equal(5, page.Items().Length);
            Assert.DoesNotMatch(TokenPattern(), server.Output + server.Errors);
            Assert.DoesNotContain(password, server.Output + server.Errors, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(dataDir, "aida.db")));
            using var anonymous = new HttpClient { BaseAddress = new Uri(site) };
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/customers?limit=5")).StatusCode);
        }

        // A second start on the same data keeps the admin (and its token), shows no secret and leaves the file as it was.
        port = AidaProcess.FreePort();
        site = $"http://127.0.0.1:{port}";
        await using (var again = AidaProcess.Start("--demo", "--data-dir", dataDir, "--urls", site))
        {
            using var client = new HttpClient { BaseAddress = new Uri(site) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TokenPattern().Match(signIn).Value);
            await PollAsync(client, "/api/v1/customers?limit=1", again);
            Assert.DoesNotMatch(TokenPattern(), again.Output);
            Assert.DoesNotContain("password", again.Output, StringComparison.Ordinal);
            Assert.Equal(signIn, await File.ReadAllTextAsync(signInFile));
        }
    }

    [Fact]
    public async Task Serve_DemoOnAllInterfaces_CreatesNoDemoSignIn()
    {
        var dataDir = Directory.CreateTempSubdirectory("aida-cli-").FullName;
        var port = AidaProcess.FreePort();
        await using var server = AidaProcess.Start("--demo", "--data-dir", dataDir, "--urls", $"http://0.0.0.0:{port}");
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        await PollAsync(client, "/health/ready", server);

        Assert.DoesNotMatch(TokenPattern(), server.Output);
        Assert.Contains("creates no demo sign-in", server.Output + server.Errors, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task UserAndTokenVerbs_AddAUserGiveThemATokenRevokeItAndDeactivateThem(DatabaseKind db)
    {
        await using var database = await TestDatabase.CreateAsync(db);
        const string password = "correct horse battery";

        var added = await AidaProcess.RunWithInputAsync(password + "\n",
            ["user", "add", "--email", "Rita.Rep@Example.com", "--name", "Rita Rep", "--role", "rep", "--team", "North", "--password-stdin", .. Target(database)]);
        var manager = await AidaProcess.RunAsync(
            ["user", "add", "--email", "max@example.com", "--name", "Max Manager", "--role", "manager", "--team", "North", .. Target(database)]);
        var created = await AidaProcess.RunAsync(["token", "create", "--email", "rita.rep@example.com", "--name", "script", "--scope", "read", "--expires", "30", .. Target(database)]);

        Assert.True(added.ExitCode == 0, added.Errors);
        Assert.Contains("Added team North", added.Output, StringComparison.Ordinal);
        Assert.True(manager.ExitCode == 0, manager.Errors);
        Assert.Contains("manager of North", manager.Output, StringComparison.Ordinal);
        Assert.True(created.ExitCode == 0, created.Errors);
        var token = created.Output.Trim();
        Assert.Matches("^aida_[A-Za-z0-9_-]{43}$", token);

        await using (var app = await AidaApp.StartAsync(database, socket: true))
        {
            var rita = await app.QueryAsync(d => d.Set<User>().SingleAsync(u => u.Email == "rita.rep@example.com"));
            Assert.Equal(Role.Rep, rita.Role);
            Assert.True(UserAdministration.VerifyPassword(rita, password));
            var stored = await app.QueryAsync(d => d.Set<ApiToken>().SingleAsync(t => t.UserId == rita.Id));
            Assert.NotEqual(token, stored.Hash);
            Assert.InRange(stored.ExpiresAt!.Value, DateTime.UtcNow.AddDays(29), DateTime.UtcNow.AddDays(31));

            using var client = app.NewClient(token);
            var me = await (await client.GetAsync("/api/v1/me")).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal("rep", me.GetProperty("user").Str("role"));
            var write = await client.PostJsonAsync("/api/v1/customers", new { type = "individual", displayName = "Read Only" });
            await write.ExpectProblemAsync(HttpStatusCode.Forbidden);

            var customer = await app.Client.CreateIndividualAsync(ownerId: rita.Id);

            var revoked = await AidaProcess.RunAsync(["token", "revoke", "--email", "rita.rep@example.com", "--name", "script", .. Target(database)]);
            Assert.True(revoked.ExitCode == 0, revoked.Errors);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me")).StatusCode);

            var deactivated = await AidaProcess.RunAsync(["user", "deactivate", "--email", "rita.rep@example.com", .. Target(database)]);
            Assert.True(deactivated.ExitCode == 0, deactivated.Errors);
            var max = await app.QueryAsync(d => d.Set<User>().SingleAsync(u => u.Email == "max@example.com"));
            var owner = (await (await app.Client.GetAsync($"/api/v1/customers/{customer.Id()}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("ownerId").GetGuid();
            Assert.Equal(max.Id, owner);
            Assert.False(await app.QueryAsync(d => d.Set<User>().Where(u => u.Id == rita.Id).Select(u => u.IsActive).SingleAsync()));
        }
    }

    [Theory]
    [InlineData("user", "add", "--email", "a@example.com", "--name", "A", "--role", "wizard")]
    [InlineData("token", "create", "--email", "a@example.com", "--name", "x", "--scope", "admin")]
    [InlineData("token", "create", "--email", "a@example.com", "--name", "x", "--expires", "0")]
    [InlineData("token", "revoke", "--email", "a@example.com")]
    public async Task UserAndTokenVerbs_BadArguments_FailWithAMessage(params string[] args)
    {
        var dataDir = Directory.CreateTempSubdirectory("aida-cli-").FullName;

        var (exitCode, output, errors) = await AidaProcess.RunAsync([.. args, "--data-dir", dataDir]);

        Assert.NotEqual(0, exitCode);
        Assert.Matches("--role|--scope|--expires|--name or --prefix", errors + output);
        Assert.DoesNotMatch(TokenPattern(), output);
    }

    [Fact]
    public async Task RejectedToken_IsLoggedWithItsReasonAndPrefix_NeverTheTokenItself()
    {
        var dataDir = Directory.CreateTempSubdirectory("aida-cli-").FullName;
        var port = AidaProcess.FreePort();
        await using var server = AidaProcess.Start("--data-dir", dataDir, "--urls", $"http://127.0.0.1:{port}");
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await PollAsync(client, "/health/ready", server);
        var secret = "aida_" + new string('Q', 43);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/customers")).StatusCode);

        var logged = await WaitForAsync(server, () => server.Output.Contains("unknown token", StringComparison.Ordinal) ? server.Output : null);
        Assert.Contains(secret[..11], logged, StringComparison.Ordinal);
        Assert.DoesNotContain(secret[..12], logged, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task TokenCreate_ForAnUnknownUser_FailsSayingWhichDatabaseItLookedIn(DatabaseKind db)
    {
        await using var database = await TestDatabase.CreateAsync(db);

        var (exitCode, output, errors) = await AidaProcess.RunAsync(["token", "create", "--email", "nobody@example.com", "--name", "x", .. Target(database)]);

        Assert.Equal(1, exitCode);
        Assert.Contains("No active user", errors, StringComparison.Ordinal);
        Assert.Contains($"using the {database.Settings.Describe()}", errors, StringComparison.Ordinal);
        Assert.DoesNotMatch(TokenPattern(), output);
    }

    [Theory]
    [InlineData("token", "create", "--email", "a@example.com", "--name", "x")]
    [InlineData("token", "revoke", "--email", "a@example.com", "--name", "x")]
    [InlineData("user", "add", "--email", "a@example.com", "--name", "A", "--role", "admin")]
    [InlineData("user", "deactivate", "--email", "a@example.com")]
    [InlineData("import", "customers.csv")]
    public async Task DataVerbs_WhereThereIsNoDatabase_RefuseNamingThePathAndCreateNone(params string[] args)
    {
        var parent = Directory.CreateTempSubdirectory("aida-cli-").FullName;
        var dataDir = Path.Combine(parent, "data");

        var (exitCode, output, errors) = await AidaProcess.RunAsync([.. args, "--data-dir", dataDir]);

        Assert.Equal(2, exitCode);
        Assert.Contains($"there is no Aida database at {Path.Combine(dataDir, "aida.db")}", errors, StringComparison.Ordinal);
        Assert.Contains("--data-dir DIR", errors, StringComparison.Ordinal);
        Assert.Empty(output.Trim());
        Assert.False(Directory.Exists(dataDir), "the verb created the data directory it refused to use");
    }

    [Fact]
    public async Task Help_PrintsTheHelpAndSucceeds()
    {
        var root = await AidaProcess.RunAsync("help");
        var verb = await AidaProcess.RunAsync("help", "token", "create");

        Assert.True(root.ExitCode == 0, root.Errors);
        Assert.Contains("Usage:", root.Output, StringComparison.Ordinal);
        Assert.Contains("token", root.Output, StringComparison.Ordinal);
        Assert.True(verb.ExitCode == 0, verb.Errors);
        Assert.Contains("aida token create [options]", verb.Output, StringComparison.Ordinal);
        Assert.Contains("--email", verb.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("version")]
    [InlineData("help")]
    [InlineData("user")]
    [InlineData("token")]
    public async Task VerbHelp_OfAVerbThatOpensNoDatabase_ListsNoDatabaseOptions(string verb)
    {
        var (exitCode, output, errors) = await AidaProcess.RunAsync(verb, "--help");

        Assert.True(exitCode == 0, errors);
        Assert.Contains($"aida {verb}", output, StringComparison.Ordinal);
        Assert.DoesNotContain("--data-dir", output, StringComparison.Ordinal);
        Assert.DoesNotContain("--database", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenCreate_WithoutOptions_NamesEveryMissingRequiredOptionInOneMessage()
    {
        var (exitCode, output, errors) = await AidaProcess.RunAsync("token", "create");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("'token create' is missing the required options --email and --name.", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("must have 1 to", errors + output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_PostgresWithPendingMigrations_RefusesWithInstructions()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Postgres, migrated: false);

        var (exitCode, _, errors) = await AidaProcess.RunAsync("serve", "--database", database.Settings.ConnectionString, "--urls", "http://127.0.0.1:0");

        Assert.Equal(2, exitCode);
        Assert.Contains("aida migrate", errors, StringComparison.Ordinal);
    }

    /// <summary>The test's database, and its own data directory on PostgreSQL too (keys, the demo sign-in), never a shared ./data.</summary>
    private static string[] Target(TestDatabase database) => database.Kind == DatabaseKind.Sqlite
        ? ["--data-dir", database.DataDirectory]
        : ["--database", database.Settings.ConnectionString, "--data-dir", database.DataDirectory];

    [GeneratedRegex("aida_[A-Za-z0-9_-]{43}")]
    private static partial Regex TokenPattern();

    [GeneratedRegex("password (\\S+)")]
    private static partial Regex PasswordPattern();

    private static async Task<string> WaitForAsync(AidaProcess server, Func<string?> probe)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        var pause = TimeSpan.FromMilliseconds(10);
        while (true)
        {
            if (probe() is { } value)
            {
                return value;
            }

            Assert.False(server.HasExited, $"aida exited early: {server.Errors}");
            Assert.True(DateTime.UtcNow < deadline, $"aida did not print what was expected in time: {server.Output} {server.Errors}");
            await Task.Delay(pause);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromMilliseconds(200).Ticks));
        }
    }

    private static async Task<System.Text.Json.JsonElement> PollAsync(HttpClient client, string url, AidaProcess server)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        var pause = TimeSpan.FromMilliseconds(10);
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
            await Task.Delay(pause);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromMilliseconds(200).Ticks));
        }
    }
}
