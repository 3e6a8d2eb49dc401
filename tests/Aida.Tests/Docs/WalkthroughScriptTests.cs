using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Aida.Platform.Hosting;
using Aida.Tests.Cli;
using Aida.Tests.Infrastructure;

namespace Aida.Tests.Docs;

/// <summary>
/// Issue 18: the README's API walkthrough runs top to bottom, as written, against a fresh <c>aida --demo</c>
/// (a real process on a fresh SQLite data directory), and fails on any status it does not expect.
/// </summary>
public sealed partial class WalkthroughScriptTests(WalkthroughScriptTests.Run run) : IClassFixture<WalkthroughScriptTests.Run>
{
    [Fact]
    public void Script_OnAFreshDemoServer_GetsTheExpectedStatusFromEveryCall()
    {
        Assert.True(run.ExitCode == 0,
            $"""
            docs/walkthrough.sh exited with {run.ExitCode}.
            Its calls and the failure (standard error):
            {run.Errors}
            The end of its standard output:
            {run.Output[Math.Max(0, run.Output.Length - 4000)..]}
            """);
    }

    [Fact]
    public void Readme_NamesEveryEventTypeTheDemoAndTheWalkthroughEmit()
    {
        Assert.True(run.ExitCode == 0, "The walkthrough did not run to the end: " + run.Errors);
        var documented = Walkthrough.ReadmeEventTypes(File.ReadAllText(Walkthrough.ReadmePath));

        // A type is named itself (`lead.captured`) or by its family (`user.*`).
        var missing = run.EventTypes
            .Where(type => !documented.Contains($"`{type}`", StringComparison.Ordinal)
                && !documented.Contains($"`{type[..(type.IndexOf('.', StringComparison.Ordinal) + 1)]}*`", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(run.EventTypes.Contains("customers.imported"), "The demo data's import emitted no customers.imported: " + string.Join(", ", run.EventTypes));
        Assert.True(missing.Count == 0, "README.md's list of events (Conventions, **Events**) does not name: " + string.Join(", ", missing));
    }

    /// <summary>Starts a demo server, runs the script against it once for the class, and reads the event feed it left.</summary>
    public sealed partial class Run : IAsyncLifetime
    {
        private readonly string _dataDirectory = Directory.CreateTempSubdirectory("aida-walkthrough-").FullName;

        public int ExitCode { get; private set; } = -1;

        public string Output { get; private set; } = "";

        public string Errors { get; private set; } = "";

        public IReadOnlySet<string> EventTypes { get; private set; } = new HashSet<string>();

        public async Task InitializeAsync()
        {
            var site = $"http://127.0.0.1:{AidaProcess.FreePort()}";
            await using var server = AidaProcess.Start("--demo", "--data-dir", _dataDirectory, "--urls", site);
            var token = await DemoApiTokenAsync(server);
            using var client = new HttpClient { BaseAddress = new Uri(site) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            await WaitUntilReadyAsync(client, server);

            (ExitCode, Output, Errors) = await RunScriptAsync($"{site}/api/v1", $"Authorization: Bearer {token}");
            EventTypes = await ReadEventTypesAsync(client);
        }

        public Task DisposeAsync()
        {
            Directory.Delete(_dataDirectory, recursive: true);
            return Task.CompletedTask;
        }

        /// <summary>
        /// The API token <c>--demo</c> gives the demo admin. With its output redirected, as here, Aida writes the
        /// sign-in to <see cref="DemoSignIn.FileName"/> in the data directory (never to the log); it is there before
        /// the server listens. This is the one place that reads it.
        /// </summary>
        private async Task<string> DemoApiTokenAsync(AidaProcess server)
        {
            var file = Path.Combine(_dataDirectory, DemoSignIn.FileName);
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (!File.Exists(file) || !TokenPattern().IsMatch(await File.ReadAllTextAsync(file)))
            {
                Assert.False(server.HasExited, $"aida exited early: {server.Errors}");
                Assert.True(DateTime.UtcNow < deadline, $"aida wrote no demo sign-in in time: {server.Output} {server.Errors}");
                await Task.Delay(100);
            }

            return TokenPattern().Match(await File.ReadAllTextAsync(file)).Value;
        }

        private static async Task WaitUntilReadyAsync(HttpClient client, AidaProcess server)
        {
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (true)
            {
                Assert.False(server.HasExited, $"aida exited early: {server.Errors}");
                try
                {
                    using var response = await client.GetAsync("/health/ready");
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        return;
                    }
                }
                catch (HttpRequestException) when (DateTime.UtcNow < deadline)
                {
                    // Not listening yet.
                }

                Assert.True(DateTime.UtcNow < deadline, $"aida was not ready in time: {server.Errors}");
                await Task.Delay(100);
            }
        }

        private static async Task<(int ExitCode, string Output, string Errors)> RunScriptAsync(string api, string auth)
        {
            var info = new ProcessStartInfo("bash")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = Path.GetTempPath(),
            };
            info.ArgumentList.Add(Walkthrough.ScriptPath);
            info.Environment["API"] = api;
            info.Environment["AUTH"] = auth;

            using var script = Process.Start(info)!;
            var output = script.StandardOutput.ReadToEndAsync();
            var errors = script.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(6));
            try
            {
                await script.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                script.Kill(entireProcessTree: true);
                await script.WaitForExitAsync();
                return (-1, await output, await errors + "\n(stopped after 6 minutes)");
            }

            return (script.ExitCode, await output, await errors);
        }

        /// <summary>Every event type in the feed, read from the start as an integration would, cursor after cursor.</summary>
        private static async Task<IReadOnlySet<string>> ReadEventTypesAsync(HttpClient client)
        {
            var types = new HashSet<string>(StringComparer.Ordinal);
            string? cursor = null;
            while (true)
            {
                var page = await (await client.GetAsync("/api/v1/events?limit=200" + (cursor is null ? "" : "&after=" + Uri.EscapeDataString(cursor))))
                    .ExpectAsync(HttpStatusCode.OK);
                var items = page.Items();
                types.UnionWith(items.Select(e => e.Str("type")));
                if (items.Length == 0 || page.GetProperty("nextCursor").ValueKind != JsonValueKind.String)
                {
                    return types;
                }

                cursor = page.Str("nextCursor");
            }
        }

        [GeneratedRegex("aida_[A-Za-z0-9_-]{43}")]
        private static partial Regex TokenPattern();
    }
}
