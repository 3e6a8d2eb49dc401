using System.Globalization;
using System.Text.Json;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Aida.Platform.Auth;
using Aida.Platform.Data;
using Aida.Platform.Events.Webhooks;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aida.Tests.Platform.Events.Webhooks;

using static WebhookDriver;

/// <summary>The class's server: loopback receivers allowed, a short time-out and backoff so faults show in seconds.</summary>
public sealed class WebhookFixture() : AidaFixture(Settings)
{
    public static readonly Dictionary<string, string?> Settings = new()
    {
        ["Webhooks:AllowPrivateNetworks"] = "true",
        ["Webhooks:Timeout"] = "00:00:01",
        ["Webhooks:FirstBackoff"] = "00:00:00.200",
        ["Webhooks:MaxBackoff"] = "00:00:01",
    };
}

/// <summary>
/// Webhooks end to end against real receivers (Kestrel on loopback ports): subscriptions, signed delivery
/// in commit order, the owner's access, faults that hold only their own queue, retries, dead letters,
/// disabling, replay, test-send and secret rotation. Delivery is driven by running the deliverer job.
/// </summary>
public sealed class WebhookTests(WebhookFixture fixture) : IClassFixture<WebhookFixture>
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_ShowsTheSecretOnce_AndRefusesBadInputNamingTheField(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        await using var receiver = await Receiver.StartAsync();

        var created = await SubscribeAsync(app, receiver.Url, ["lead.*", "customer.created"], new { subject = "leads" });
        var secret = created.Str("secret");
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);
        Assert.Equal(app.Admin.Id, created.GetProperty("ownerId").GetGuid());
        var read = await (await app.Client.GetAsync($"/api/v1/webhooks/{created.Id()}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, read.GetProperty("secret").ValueKind);
        Assert.Equal(["lead.*", "customer.created"], read.GetProperty("eventTypes").EnumerateArray().Select(t => t.GetString()!).ToArray());
        var listed = await (await app.Client.GetAsync("/api/v1/webhooks")).ExpectAsync(HttpStatusCode.OK);
        Assert.All(listed.Items(), w => Assert.Equal(JsonValueKind.Null, w.GetProperty("secret").ValueKind));

        async Task RefusedAsync(object body, string field) =>
            await (await app.Client.PostJsonAsync("/api/v1/webhooks", body)).ExpectProblemAsync(HttpStatusCode.BadRequest, field);
        await RefusedAsync(new { url = "ftp://example.com/x", eventTypes = new[] { "*" } }, "url");
        await RefusedAsync(new { url = "not a url", eventTypes = new[] { "*" } }, "url");
        await RefusedAsync(new { url = "https://user:pw@example.com/x", eventTypes = new[] { "*" } }, "url");
        await RefusedAsync(new { url = receiver.Url.ToString(), eventTypes = Array.Empty<string>() }, "eventTypes");
        await RefusedAsync(new { url = receiver.Url.ToString(), eventTypes = new[] { "lead.*", "Lead captured!" } }, "eventTypes[1]");
        await RefusedAsync(new { url = receiver.Url.ToString(), eventTypes = new[] { "*" }, filter = new { field = "lead.status" } }, "filter.value");
        await RefusedAsync(new { url = receiver.Url.ToString(), eventTypes = new[] { "*" }, filter = new { field = "lead..x", value = "a" } }, "filter.field");

        // Not an administrator: no access to webhooks at all.
        var (_, rep) = await app.UserAsync(Role.Rep);
        await (await rep.GetAsync("/api/v1/webhooks")).ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Delivery_IsSignedAndInCommitOrder_WithTheEventIdAsWebhookId(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        await using var receiver = await Receiver.StartAsync();
        var hook = await SubscribeAsync(app, receiver.Url, ["lead.*"]);
        var start = await Feed.WaitForAsync(app, 1); // the webhook's own "webhook.created"
        for (var i = 0; i < 6; i++)
        {
            await CaptureLeadAsync(app, $"Lead{i}");
        }

        var feed = await Feed.WaitForAsync(app, 6, start.NextCursor, "type=lead.captured");
        await DeliverUntilAsync(app, () => receiver.Requests.Count >= 6, "six leads delivered");

        var received = receiver.All;
        Assert.Equal(feed.Items.Take(6).Select(e => e.Str("id")), received.Take(6).Select(r => r.Id));
        Assert.Equal(1, receiver.MostAtOnce); // Webhooks:InFlight is 1 by default: one at a time, in strict commit order.
        Assert.All(received, r =>
        {
            Assert.Equal(Sign(hook.Str("secret"), r), r.Signature);
            Assert.Equal(r.Id, r.Json.Str("id"));
            Assert.StartsWith("leads/", r.Json.Str("subject"), StringComparison.Ordinal);
            Assert.True(Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - long.Parse(r.Timestamp, CultureInfo.InvariantCulture)) < 300);
            foreach (var member in new[] { "type", "time", "actor", "data" })
            {
                Assert.True(r.Json.TryGetProperty(member, out _), member);
            }
        });
        var log = await DeliveriesAsync(app, hook.Id());
        Assert.All(log, d => Assert.Equal("delivered", d.Str("status")));
        Assert.All(log, d => Assert.Equal(200, d.GetProperty("responseStatus").GetInt32()));
        Assert.All(log, d => Assert.Equal("thanks", d.Str("responseExcerpt")));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task WithSeveralInFlight_DeliveriesOverlap_YetEachRecordsEventsArriveInCommitOrder(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db, new Dictionary<string, string?>(WebhookFixture.Settings) { ["Webhooks:InFlight"] = "8" });
        await using var receiver = await Receiver.StartAsync(ReceiverMode.Slow);
        await SubscribeAsync(app, receiver.Url, ["customer.*"]);
        var customers = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            customers.Add((await app.Client.CreateOrganizationAsync()).Id());
        }

        // Two renames of a record back to back: without the record's own order both would be on their way at once.
        foreach (var id in customers)
        {
            for (var rename = 0; rename < 2; rename++)
            {
                await (await app.Client.PatchJsonAsync($"/api/v1/customers/{id}", new { displayName = Builders.Unique("Renamed") })).ExpectAsync(HttpStatusCode.OK);
            }
        }

        var subjects = customers.Select(id => $"customers/{id}").ToHashSet();
        List<JsonElement> Theirs(List<JsonElement> feed) =>
            feed.Where(e => e.Str("type").StartsWith("customer.", StringComparison.Ordinal) && subjects.Contains(e.Str("subject"))).ToList();
        // Served once every older transaction has ended (on PostgreSQL other tests' too): the last rename is then in.
        var expected = Theirs(await Wait.ForAsync(() => Feed.AllAsync(app), feed => Theirs(feed).Count(e => e.Str("type") == "customer.updated") >= 12));
        await DeliverUntilAsync(app, () => receiver.Requests.Count >= expected.Count, "every customer event delivered");

        var received = receiver.All;
        Assert.Equal(expected.Select(e => e.Str("id")).Order(), received.Select(r => r.Id).Order());
        foreach (var subject in subjects)
        {
            var theirs = received.Where(r => r.Json.Str("subject") == subject).ToList();
            Assert.Equal(expected.Where(e => e.Str("subject") == subject).Select(e => e.Str("id")), theirs.Select(r => r.Id));
            // Each was sent only once the one before it had been answered.
            Assert.All(theirs.Zip(theirs.Skip(1)), pair => Assert.True(pair.Second.ArrivedAt >= pair.First.AnsweredAt, $"{pair.Second.Id} overtook {pair.First.Id}"));
        }

        Assert.True(receiver.MostAtOnce > 1, "several deliveries should have been on their way at once");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ACommitThatWroteEvents_WakesTheDeliverer_WithoutWaitingForItsInterval(DatabaseKind db)
    {
        // The deliverer's own interval is an hour here: only the commit's wake-up (JobTriggers.RunSoon) can start it in time.
        await using var app = await AidaApp.StartAsync(db, new Dictionary<string, string?>(WebhookFixture.Settings) { ["Webhooks:PollInterval"] = "01:00:00" });
        await using var receiver = await Receiver.StartAsync();
        await SubscribeAsync(app, receiver.Url, ["lead.*"]);
        var lead = await CaptureLeadAsync(app, "Wake");

        await Wait.UntilAsync(() => receiver.All.Any(r => r.Json.Str("subject") == $"leads/{lead.Id()}"), "the lead delivered by the scheduler alone",
            TimeSpan.FromSeconds(30));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Subscription_GetsOnlyTheTypesAndFilterItAskedFor(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        await using var all = await Receiver.StartAsync();
        await using var filtered = await Receiver.StartAsync();
        await SubscribeAsync(app, all.Url, ["*"]);
        await SubscribeAsync(app, filtered.Url, ["lead.*"], new { field = "lead.firstName", value = "Grace" });

        await app.Client.CreateIndividualAsync();
        await CaptureLeadAsync(app, "Alan");
        var grace = await CaptureLeadAsync(app, "Grace");
        await CaptureLeadAsync(app, "Barbara");

        await DeliverUntilAsync(app, () => all.All.Any(r => r.Json.GetProperty("data").TryGetProperty("lead", out var lead) && lead.Str("firstName") == "Barbara")
            && !filtered.Requests.IsEmpty, "every event at the catch-all receiver");
        Assert.Contains(all.All, r => r.Json.Str("type") == "customer.created");
        var only = Assert.Single(filtered.All);
        Assert.Equal("lead.captured", only.Json.Str("type"));
        Assert.Equal(grace.Id(), only.Json.GetProperty("data").GetProperty("lead").Id());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Subscription_ReceivesOnlyWhatItsOwnerMaySee(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        await using var receiver = await Receiver.StartAsync();
        var (owner, ownerClient) = await app.UserAsync(Role.Admin);
        var (other, _) = await app.UserAsync(Role.Rep);
        await SubscribeAsync(app, receiver.Url, ["customer.*"], client: ownerClient);

        // The owner is later made a sales rep: from then on the webhook carries only what a rep sees, their own customers.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var data = scope.ServiceProvider.GetRequiredService<AidaDb>();
            await data.Set<User>().Where(u => u.Id == owner.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.Role, Role.Rep));
        }

        var others = await app.Client.CreateIndividualAsync(ownerId: other.Id);
        var mine = await app.Client.CreateIndividualAsync(ownerId: owner.Id);

        await DeliverUntilAsync(app, () => receiver.All.Any(r => r.Json.Str("subject") == $"customers/{mine.Id()}"), "the owner's own customer delivered");
        Assert.DoesNotContain(receiver.All, r => r.Json.Str("subject").Contains(others.Id().ToString(), StringComparison.Ordinal));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task FaultyReceivers_HoldOnlyTheirOwnQueue(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        await using var healthy = await Receiver.StartAsync();
        await using var hanging = await Receiver.StartAsync(ReceiverMode.Hang);
        await using var failing = await Receiver.StartAsync(ReceiverMode.Fail);
        await using var redirecting = await Receiver.StartAsync(ReceiverMode.Redirect);
        await using var huge = await Receiver.StartAsync(ReceiverMode.Huge);
        var hooks = new Dictionary<string, Guid>();
        foreach (var (name, receiver) in new[] { ("healthy", healthy), ("hanging", hanging), ("failing", failing), ("redirecting", redirecting), ("huge", huge) })
        {
            hooks[name] = (await SubscribeAsync(app, receiver.Url, ["lead.*"])).Id();
        }

        await CaptureLeadAsync(app, "First");
        await CaptureLeadAsync(app, "Second");
        await DeliverUntilAsync(app, () => healthy.Requests.Count >= 2 && huge.Requests.Count >= 2
            && !hanging.Requests.IsEmpty && !failing.Requests.IsEmpty && !redirecting.Requests.IsEmpty, "the healthy receivers have both leads");

        // The healthy queue moved on while the others failed; each failing queue holds its second event behind its first.
        foreach (var name in new[] { "hanging", "failing", "redirecting" })
        {
            // The second lead joins the queue behind the first once the first's attempt is over (it may have been read with it, or after).
            var log = await Wait.ForAsync(() => DeliveriesAsync(app, hooks[name]), l => l.Length >= 2 && l.Any(d => d.GetProperty("attempts").GetInt32() > 0));
            var ordered = log.OrderBy(d => d.Str("createdAt"), StringComparer.Ordinal).ThenBy(d => d.Id()).ToArray();
            Assert.All(log, d => Assert.Equal("pending", d.Str("status")));
            Assert.Contains(log, d => d.GetProperty("attempts").GetInt32() == 0);
            var tried = Assert.Single(log, d => d.GetProperty("attempts").GetInt32() > 0);
            Assert.NotNull(tried.GetProperty("nextAttemptAt").GetString());
            switch (name)
            {
                case "hanging":
                    Assert.StartsWith("No answer within 1 s", tried.Str("error"), StringComparison.Ordinal);
                    break;
                case "failing":
                    Assert.Equal(500, tried.GetProperty("responseStatus").GetInt32());
                    Assert.Equal("receiver is down", tried.Str("responseExcerpt"));
                    break;
                default:
                    Assert.Equal(302, tried.GetProperty("responseStatus").GetInt32());
                    Assert.Contains("Redirects are not followed", tried.Str("error"), StringComparison.Ordinal);
                    break;
            }
        }

        Assert.Single(redirecting.All.Select(r => r.Id).Distinct()); // nothing followed the redirect to a second request elsewhere
        var big = await DeliveriesAsync(app, hooks["huge"]);
        Assert.All(big, d =>
        {
            Assert.Equal("delivered", d.Str("status"));
            Assert.Equal(WebhookDelivery.ExcerptMaxBytes, d.Str("responseExcerpt").Length);
        });
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task TestSend_GoesToThatSubscriptionOnly_AndIsNotAnOutboxEvent(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        await using var first = await Receiver.StartAsync();
        await using var second = await Receiver.StartAsync();
        var hook = await SubscribeAsync(app, first.Url, ["*"]);
        await SubscribeAsync(app, second.Url, ["*"]);

        var queued = await (await app.Client.PostAsync($"/api/v1/webhooks/{hook.Id()}/test", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("webhook.test", queued.Str("eventType"));

        await DeliverUntilAsync(app, () => first.All.Any(r => r.Json.Str("type") == "webhook.test"), "the test event delivered");
        var test = first.All.Single(r => r.Json.Str("type") == "webhook.test");
        Assert.Equal(Sign(hook.Str("secret"), test), test.Signature);
        Assert.Equal(queued.GetProperty("eventId").GetGuid().ToString(), test.Id);
        Assert.DoesNotContain(second.All, r => r.Json.Str("type") == "webhook.test");
        var (events, _) = await Feed.ReadAsync(app, query: "type=webhook.test");
        Assert.Empty(events);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Replay_SendsOneDeliveryOrATimeRangeAgain_WithTheSameWebhookId(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        await using var receiver = await Receiver.StartAsync();
        var hook = await SubscribeAsync(app, receiver.Url, ["lead.*"]);
        await CaptureLeadAsync(app, "One");
        await CaptureLeadAsync(app, "Two");
        await DeliverUntilAsync(app, () => receiver.Requests.Count >= 2, "both leads delivered");
        var log = await DeliveriesAsync(app, hook.Id());
        var firstEvent = receiver.All[0].Id;
        var original = log.Single(d => d.GetProperty("eventId").GetGuid().ToString() == firstEvent);

        var one = await (await app.Client.PostJsonAsync($"/api/v1/webhooks/{hook.Id()}/replay", new { deliveryId = original.Id() })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, one.GetProperty("replayed").GetInt32());
        await DeliverUntilAsync(app, () => receiver.Requests.Count >= 3, "the replay delivered");
        Assert.Equal(firstEvent, receiver.All[2].Id);
        Assert.Equal(receiver.All[0].Body, receiver.All[2].Body);

        var range = await (await app.Client.PostJsonAsync($"/api/v1/webhooks/{hook.Id()}/replay",
            new { from = DateTime.UtcNow.AddHours(-1), to = DateTime.UtcNow.AddMinutes(1) })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, range.GetProperty("replayed").GetInt32()); // the originals, not the earlier replay
        await DeliverUntilAsync(app, () => receiver.Requests.Count >= 5, "the range replayed");
        Assert.Equal(receiver.All.Take(2).Select(r => r.Id), receiver.All.Skip(3).Select(r => r.Id));

        await (await app.Client.PostJsonAsync($"/api/v1/webhooks/{hook.Id()}/replay", new { })).ExpectProblemAsync(HttpStatusCode.BadRequest, "deliveryId");
        await (await app.Client.PostJsonAsync($"/api/v1/webhooks/{hook.Id()}/replay", new { deliveryId = Guid.NewGuid() })).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task RotatedSecret_SignsBesideTheOldOneForTheGracePeriod(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        await using var receiver = await Receiver.StartAsync();
        var hook = await SubscribeAsync(app, receiver.Url, ["webhook.test"]);
        var rotated = await (await app.Client.PostAsync($"/api/v1/webhooks/{hook.Id()}/rotate-secret", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.NotEqual(hook.Str("secret"), rotated.Str("secret"));

        await (await app.Client.PostAsync($"/api/v1/webhooks/{hook.Id()}/test", null)).ExpectAsync(HttpStatusCode.OK);
        await DeliverUntilAsync(app, () => !receiver.Requests.IsEmpty, "the test event delivered");
        var signatures = receiver.All[0].Signature.Split(' ');
        Assert.Equal([Sign(rotated.Str("secret"), receiver.All[0]), Sign(hook.Str("secret"), receiver.All[0])], signatures);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task PrivateAddresses_AreRefusedUnlessAllowed(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        foreach (var url in new[] { "http://127.0.0.1:8080/hook", "http://localhost/hook", "http://10.1.2.3/hook", "http://192.168.0.10/",
                     "http://172.16.5.4/", "http://169.254.169.254/latest/meta-data", "http://[::1]/", "http://[fd00::1]/", "http://[fe80::1]/", "http://0.0.0.0/", "http://224.0.0.1/" })
        {
            var problem = await (await app.Client.PostJsonAsync("/api/v1/webhooks", new { url, eventTypes = new[] { "*" } }))
                .ExpectProblemAsync(HttpStatusCode.BadRequest, "url");
            Assert.Contains("Webhooks:AllowPrivateNetworks", problem.GetProperty("errors").GetProperty("url")[0].GetString(), StringComparison.Ordinal);
        }

        // Checked again where the connection is made: a name that resolves to loopback later (DNS rebinding) is not connected to.
        var refused = await Assert.ThrowsAsync<WebhookAddressRefusedException>(() => WebhookAddresses.ConnectAsync("localhost", 80, allowPrivateNetworks: false, CancellationToken.None));
        Assert.Contains("private", refused.Message, StringComparison.Ordinal);
        Assert.True(WebhookAddresses.IsPublic(IPAddress.Parse("93.184.216.34")));
        Assert.False(WebhookAddresses.IsPublic(IPAddress.Parse("::ffff:127.0.0.1")));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task FailingForTheRetryWindow_DeadLettersDisablesAndNotifiesTheOwner_ThenReplayDelivers(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db, new Dictionary<string, string?>(WebhookFixture.Settings)
        {
            ["Webhooks:RetryFor"] = "00:00:02",
            ["Webhooks:DisableAfter"] = "00:00:02",
            ["Webhooks:FirstBackoff"] = "00:00:00.100",
            ["Webhooks:MaxBackoff"] = "00:00:00.300",
        });
        await using var receiver = await Receiver.StartAsync(ReceiverMode.Fail);
        var hook = await SubscribeAsync(app, receiver.Url, ["lead.*"]);
        await CaptureLeadAsync(app);

        await DeliverUntilAsync(app, async () => !(await (await app.Client.GetAsync($"/api/v1/webhooks/{hook.Id()}")).JsonAsync()).GetProperty("isActive").GetBoolean(),
            "the webhook switched off");
        Assert.True(receiver.Requests.Count >= 3, $"retried with backoff, {receiver.Requests.Count} attempts");
        Assert.Single(receiver.All.Select(r => r.Id).Distinct()); // every retry carries the same webhook-id
        var webhook = await (await app.Client.GetAsync($"/api/v1/webhooks/{hook.Id()}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains("Every delivery failed", webhook.Str("disabledReason"), StringComparison.Ordinal);
        var dead = Assert.Single(await DeliveriesAsync(app, hook.Id()));
        Assert.Equal("dead", dead.Str("status"));
        Assert.Equal(receiver.Requests.Count, dead.GetProperty("attempts").GetInt32());

        var notifications = await (await app.Client.GetAsync("/api/v1/notifications")).ExpectAsync(HttpStatusCode.OK);
        var notice = Assert.Single(notifications.Items(), n => n.Str("kind") == "webhook_disabled");
        Assert.Equal($"/settings/webhooks/{hook.Id()}", notice.Str("link"));
        Assert.Contains("127.0.0.1", notice.Str("title"), StringComparison.Ordinal);

        // Fixed receiver, switched back on, the dead letter replayed: delivered with the same id.
        // Counted before the replay: the scheduler's own run may deliver it before the request returns.
        var attempts = receiver.Requests.Count;
        receiver.Mode = ReceiverMode.Ok;
        var current = await app.Client.GetAsync($"/api/v1/webhooks/{hook.Id()}");
        await (await app.Client.PatchJsonAsync($"/api/v1/webhooks/{hook.Id()}", new { isActive = true }, current.ETag())).ExpectAsync(HttpStatusCode.OK);
        await (await app.Client.PostJsonAsync($"/api/v1/webhooks/{hook.Id()}/replay", new { deliveryId = dead.Id() })).ExpectAsync(HttpStatusCode.OK);
        await DeliverUntilAsync(app, () => receiver.Requests.Count > attempts, "the replay delivered");
        Assert.Equal(dead.GetProperty("eventId").GetGuid().ToString(), receiver.All[^1].Id);
        var log = await DeliveriesAsync(app, hook.Id(), "&status=delivered");
        Assert.Equal(dead.Id(), Assert.Single(log).GetProperty("replayOf").GetGuid());
    }
}

/// <summary>What webhook tests do: subscribe, run the deliverer until something arrived, read the log, sign as a receiver does.</summary>
public static class WebhookDriver
{
    public static async Task<JsonElement> SubscribeAsync(AidaApp app, Uri url, string[] types, object? filter = null, HttpClient? client = null)
    {
        var response = await (client ?? app.Client).PostJsonAsync("/api/v1/webhooks", new { url = url.ToString(), eventTypes = types, filter });
        return await response.ExpectAsync(HttpStatusCode.Created);
    }

    /// <summary>Runs the deliverer until <paramref name="done"/> holds.</summary>
    public static Task DeliverUntilAsync(AidaApp app, Func<bool> done, string what, TimeSpan? patience = null) =>
        DeliverUntilAsync(app, () => Task.FromResult(done()), what, patience);

    public static async Task DeliverUntilAsync(AidaApp app, Func<Task<bool>> done, string what, TimeSpan? patience = null)
    {
        var job = app.Services.GetRequiredService<WebhookDeliveryJob>();
        await Wait.UntilAsync(async () =>
        {
            if (await done())
            {
                return true;
            }

            await job.RunAsync(CancellationToken.None);
            return await done();
        }, what, patience);
    }

    public static async Task<JsonElement[]> DeliveriesAsync(AidaApp app, Guid webhookId, string query = "") =>
        (await (await app.Client.GetAsync($"/api/v1/webhooks/{webhookId}/deliveries?limit=200{query}")).ExpectAsync(HttpStatusCode.OK)).Items();

    public static async Task<JsonElement> CaptureLeadAsync(AidaApp app, string firstName = "Ada") =>
        await (await app.Client.PostJsonAsync("/api/v1/leads", new { firstName, email = $"{Builders.Unique("lead")}@example.com" })).ExpectAsync(HttpStatusCode.Created);

    /// <summary>The signature as a receiver computes it: HMAC-SHA256 of "id.timestamp.body" with the secret's bytes.</summary>
    public static string Sign(string secret, Received received) =>
        "v1," + Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(secret["whsec_".Length..]),
            Encoding.UTF8.GetBytes($"{received.Id}.{received.Timestamp}.{received.Body}")));

}
