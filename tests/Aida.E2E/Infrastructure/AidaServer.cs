using System.Globalization;
using System.Net;
using Aida.Platform.Auth;
using Aida.Platform.Data;
using Aida.Tests.Cli;
using Xunit.Abstractions;

namespace Aida.E2E.Infrastructure;

/// <summary>
/// A real <c>aida serve</c> process on a free loopback port with a fresh SQLite database of its own,
/// so a browser test sees exactly what a person who installed Aida would, and no other test's data.
/// </summary>
public sealed class AidaServer : IAsyncDisposable
{
    // Two slow CI cores build and run the other test project at the same time; start-up can take a while.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    private readonly AidaProcess _process;
    private readonly string _dataDirectory;
    private readonly ITestOutputHelper _log;

    private AidaServer(AidaProcess process, string dataDirectory, string url, AidaUser admin, ITestOutputHelper log)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        Url = url;
        Admin = admin;
        _log = log;
    }

    /// <summary>Where the server listens, e.g. <c>http://127.0.0.1:41234</c> (no trailing slash).</summary>
    public string Url { get; }

    /// <summary>An admin who can sign in; every server has one.</summary>
    public AidaUser Admin { get; }

    /// <summary>
    /// Adds the admin and <paramref name="users"/> through the CLI, starts serving and returns once
    /// <c>/health/ready</c> answers. The server's output goes to <paramref name="log"/> when it is disposed,
    /// where a failing test shows it.
    /// </summary>
    public static Task<AidaServer> StartAsync(ITestOutputHelper log, params AidaUser[] users) => StartAsync(log, demoCustomers: 0, users);

    /// <summary>
    /// As <see cref="StartAsync(ITestOutputHelper, AidaUser[])"/>, with <c>aida seed --demo</c> run first for
    /// <paramref name="demoCustomers"/> customers (none when 0): reps, customers with history, leads, deals and purchases,
    /// for tests that need a CRM that looks lived-in rather than particular records.
    /// </summary>
    public static async Task<AidaServer> StartAsync(ITestOutputHelper log, int demoCustomers, params AidaUser[] users)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("aida-e2e-").FullName;
        AidaServer? server = null;
        try
        {
            var admin = AidaUser.Unique("Ada Admin", Role.Admin);
            // 'user add' works on an existing database only (it never leaves a stray empty one), so create it first.
            var migrated = await AidaProcess.RunAsync("migrate", "--data-dir", dataDirectory);
            Assert.True(migrated.ExitCode == 0, $"aida migrate failed ({migrated.ExitCode}): {migrated.Output}{migrated.Errors}");
            foreach (var user in users.Prepend(admin))
            {
                await AddUserAsync(dataDirectory, user);
            }

            if (demoCustomers > 0)
            {
                await SeedDemoDataAsync(dataDirectory, demoCustomers);
            }

            var url = $"http://127.0.0.1:{AidaProcess.FreePort()}";
            server = new AidaServer(AidaProcess.Start("serve", "--urls", url, "--data-dir", dataDirectory), dataDirectory, url, admin, log);
            await server.WaitUntilReadyAsync();
            return server;
        }
        catch
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
            else
            {
                Directory.Delete(dataDirectory, recursive: true);
            }

            throw;
        }
    }

    private static async Task AddUserAsync(string dataDirectory, AidaUser user)
    {
        string[] args =
        [
            "user", "add", "--email", user.Email, "--name", user.Name, "--role", EnumText<Role>.ToText(user.Role),
            .. user.Team is null ? Array.Empty<string>() : ["--team", user.Team],
            "--password-stdin", "--data-dir", dataDirectory,
        ];
        var (exitCode, output, errors) = await AidaProcess.RunWithInputAsync(user.Password + "\n", args);
        Assert.True(exitCode == 0, $"aida user add {user.Email} failed ({exitCode}): {output}{errors}");
    }

    private static async Task SeedDemoDataAsync(string dataDirectory, int customers)
    {
        var (exitCode, output, errors) = await AidaProcess.RunAsync(
            "seed", "--demo", "--customers", customers.ToString(CultureInfo.InvariantCulture), "--data-dir", dataDirectory);
        Assert.True(exitCode == 0, $"aida seed --demo failed ({exitCode}): {output}{errors}");
    }

    private async Task WaitUntilReadyAsync()
    {
        using var client = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + StartTimeout;
        var pause = TimeSpan.FromMilliseconds(10);
        while (true)
        {
            Assert.False(_process.HasExited, $"aida serve exited before it was ready:\n{_process.Output}\n{_process.Errors}");
            try
            {
                using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            Assert.True(DateTime.UtcNow < deadline, $"aida serve was not ready within {StartTimeout}:\n{_process.Output}\n{_process.Errors}");
            // Checked again soon after, then less often: start-up takes from a fraction of a second to several.
            await Task.Delay(pause);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromMilliseconds(200).Ticks));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        _log.WriteLine($"aida serve on {Url}, standard output:\n{_process.Output}\nstandard error:\n{_process.Errors}");
        Directory.Delete(_dataDirectory, recursive: true);
    }
}
