using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Aida.Tests.Features.Interactions;
using Aida.Tests.Infrastructure;
using Aida.Tests.Platform.Events.Webhooks;

namespace Aida.Tests.Cli;

/// <summary>
/// Issue 19 item 7: two real <c>aida</c> processes on one PostgreSQL, each with a data directory of its own, as
/// two nodes behind a load balancer. A session started on one is good on the other; each reminder and each webhook
/// delivery happens once although both nodes run those jobs; when one node is killed mid-delivery the other takes its
/// jobs over and nothing is lost.
/// </summary>
public sealed partial class TwoNodesTests
{
    private const string Password = "two nodes, one database";

    /// <summary>Short leases and intervals, so a takeover and a reminder happen within seconds.</summary>
    private static readonly Dictionary<string, string> Fast = new()
    {
        ["Jobs:Lease"] = "00:00:03",
        ["Jobs:PollInterval"] = "00:00:00.200",
        ["Reminders:Interval"] = "00:00:00.500",
        ["Duplicates:Scan:Enabled"] = "false",
        ["Webhooks:AllowPrivateNetworks"] = "true",
    };

    [Fact]
    public async Task TwoNodes_ShareSessions_SendEachReminderOnce_AndTakeOverTheJobsOfANodeThatDied()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        var target = new[] { "--database", database.Settings.ConnectionString };
        var added = await AidaProcess.RunWithInputAsync(Password + "\n",
            ["user", "add", "--email", "ada@example.com", "--name", "Ada Admin", "--role", "admin", "--password-stdin", .. target, "--data-dir", database.DataDirectory]);
        Assert.True(added.ExitCode == 0, added.Errors);
        var created = await AidaProcess.RunAsync(["token", "create", "--email", "ada@example.com", "--name", "two-nodes", .. target, "--data-dir", database.DataDirectory]);
        Assert.True(created.ExitCode == 0, created.Errors);
        var token = created.Output.Trim();

        var (first, firstUrl) = StartNode(target);
        var (second, secondUrl) = StartNode(target);
        await using var firstNode = first;
        await using var secondNode = second;
        using var firstApi = Api(firstUrl, token);
        using var secondApi = Api(secondUrl, token);
        await ReadyAsync(firstApi, first);
        await ReadyAsync(secondApi, second);

        // Signed in on the first node (cookies are not kept per port: one jar, as behind one address), the second knows the session.
        var cookies = new CookieContainer();
        using (var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = firstUrl })
        {
            var form = await (await browser.GetAsync("/signin")).Content.ReadAsStringAsync();
            var antiforgery = AntiforgeryInput().Match(form);
            Assert.True(antiforgery.Success, form);
            var signIn = await browser.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["email"] = "ada@example.com",
                ["password"] = Password,
                [antiforgery.Groups[1].Value] = WebUtility.HtmlDecode(antiforgery.Groups[2].Value),
            }));
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }

        using (var other = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = secondUrl })
        {
            var home = await other.GetAsync("/");
            Assert.Equal(HttpStatusCode.OK, home.StatusCode);
            Assert.Contains("Ada Admin", await home.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Reminders come due while both nodes run the reminder job: each is sent once.
        var me = (await (await firstApi.GetAsync("/api/v1/me")).ExpectAsync(HttpStatusCode.OK)).GetProperty("user").Id();
        var due = DateTimeOffset.UtcNow.AddSeconds(-1);
        for (var i = 0; i < 12; i++)
        {
            var api = i % 2 == 0 ? firstApi : secondApi;
            await api.ActivityAsync(null, DateTimeOffset.UtcNow.AddHours(1), $"Reminder {i}", reminderAt: due, assignedTo: me);
        }

        await Wait.UntilAsync(async () => await RemindersAsync(secondApi) == 12, "twelve reminders");
        await Task.Delay(TimeSpan.FromSeconds(2)); // Four more reminder intervals on each node: none may send one again.
        Assert.Equal(12, await RemindersAsync(firstApi));

        // Events made on both nodes reach a webhook receiver, each once.
        await using var receiver = await Receiver.StartAsync();
        await (await firstApi.PostJsonAsync("/api/v1/webhooks", new { url = receiver.Url.ToString(), eventTypes = new[] { "customer.created" } }))
            .ExpectAsync(HttpStatusCode.Created);
        var made = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            made.Add((await (i % 2 == 0 ? firstApi : secondApi).CreateIndividualAsync($"Webhook {i}")).Id().ToString());
        }

        await Wait.UntilAsync(() => made.All(Delivered(receiver).Contains), "every event delivered");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(made.Count, receiver.All.Length);

        // Then the first node is killed while it delivers a burst of its own events: the second takes the job over
        // when the lease lapses, and every event arrives (at least once: a send cut short may be repeated).
        var burst = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            burst.Add((await firstApi.CreateIndividualAsync($"Burst {i}")).Id().ToString());
        }

        await first.DisposeAsync();
        for (var i = 0; i < 3; i++)
        {
            await secondApi.ActivityAsync(null, DateTimeOffset.UtcNow.AddHours(1), $"After the crash {i}", reminderAt: DateTimeOffset.UtcNow.AddSeconds(-1), assignedTo: me);
        }

        await Wait.UntilAsync(async () => await RemindersAsync(secondApi) == 15, "the reminders due after the first node died");
        await Wait.UntilAsync(() => burst.All(Delivered(receiver).Contains), "every event of the burst delivered after the first node died");
        var jobs = await (await secondApi.GetAsync("/api/v1/admin/jobs")).ExpectAsync(HttpStatusCode.OK);
        var reminders = jobs.EnumerateArray().Single(j => j.Str("name") == "activities.reminders");
        Assert.True(reminders.GetProperty("runs").GetInt64() > 0);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(15, await RemindersAsync(secondApi));
    }

    /// <summary>The customers whose customer.created the receiver has had (the subject names them), repeats included.</summary>
    private static List<string> Delivered(Receiver receiver) =>
        receiver.All.Select(r => JsonDocument.Parse(r.Body).RootElement.Str("subject")["customers/".Length..]).ToList();

    private static (AidaProcess Node, Uri Url) StartNode(string[] target)
    {
        var url = new Uri($"http://127.0.0.1:{AidaProcess.FreePort()}");
        var dataDir = Directory.CreateTempSubdirectory("aida-node-").FullName;
        return (AidaProcess.StartWithSettings(Fast, ["--urls", url.ToString().TrimEnd('/'), "--data-dir", dataDir, .. target]), url);
    }

    private static HttpClient Api(Uri url, string token)
    {
        var client = new HttpClient { BaseAddress = url };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    private static async Task ReadyAsync(HttpClient client, AidaProcess node) =>
        await Wait.UntilAsync(async () =>
        {
            Assert.False(node.HasExited, $"aida exited early: {node.Errors}");
            try
            {
                return (await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "the node to be ready", TimeSpan.FromMinutes(2));

    private static async Task<int> RemindersAsync(HttpClient client)
    {
        var list = await (await client.GetAsync("/api/v1/notifications?limit=100")).ExpectAsync(HttpStatusCode.OK);
        return list.Items().Count(n => n.Str("kind") == "activity_reminder");
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryInput();
}
