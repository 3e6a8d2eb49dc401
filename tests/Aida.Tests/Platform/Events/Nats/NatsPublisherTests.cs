using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aida.Platform.Auth;
using Aida.Platform.Events;
using Aida.Platform.Events.Nats;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NATS.Client.Core;

namespace Aida.Tests.Platform.Events.Nats;

/// <summary>
/// Issue 19 item 2: with Events:Nats:Url set, every outbox event reaches a real JetStream stream
/// (Debian's nats-server, one per test) in commit order, once, with Nats-Msg-Id = the event id; the
/// publisher resumes from its saved position after an Aida restart and after a NATS outage.
/// </summary>
public sealed class NatsPublisherTests
{
    private const string Password = "a long enough password";

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task EventsWrittenThroughTheApi_ReachTheStream_InCommitOrder_OnceEach_AsTheFeedShowsThem(DatabaseKind db)
    {
        await using var nats = await NatsServer.StartAsync();
        await using var app = await AidaApp.StartAsync(db, Settings(nats));

        for (var i = 0; i < 5; i++)
        {
            var customer = await app.Client.CreateOrganizationAsync(primaryContact: new { firstName = "Nat", lastName = $"Stream{i}" });
            await (await app.Client.PatchJsonAsync($"/api/v1/customers/{customer.Id()}", new { status = "active" })).ExpectAsync(HttpStatusCode.OK);
        }

        await PublishAllAsync(app);

        var feed = await Feed.AllAsync(app);
        var stream = await JetStreamContents.ReadAsync(nats.Url);
        Assert.True(feed.Count >= 15, $"Expected the set-up and 15 customer events in the feed, found {feed.Count}");
        AssertSameEvents(feed, stream);
        Assert.Contains(stream, m => m.Subject == "aida.customer.created");
        Assert.Contains(stream, m => m.Subject == "aida.contact.created");

        var config = await JetStreamContents.ConfigAsync(nats.Url);
        Assert.Equal(["aida.>"], config.Subjects);
        Assert.Equal(TimeSpan.FromMinutes(10), config.DuplicateWindow);
        Assert.Equal(TimeSpan.FromDays(7), config.MaxAge);

        var status = await StatusAsync(app);
        Assert.True(status.GetProperty("enabled").GetBoolean());
        Assert.Equal(nats.Url, status.Str("server"));
        Assert.Equal(feed.Count, status.GetProperty("publishedCount").GetInt32());
        Assert.Equal(0, status.GetProperty("pending").GetInt32());
        Assert.Equal((ulong)feed.Count, status.GetProperty("stream").GetProperty("lastSeq").GetUInt64());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task AfterARestartThatLostThePosition_TheRepeatsAreDroppedByMsgId_AndNewEventsFollowOnce(DatabaseKind db)
    {
        await using var nats = await NatsServer.StartAsync();
        await using var app = await AidaApp.StartAsync(db, Settings(nats));
        await app.Client.CreateOrganizationAsync(primaryContact: new { firstName = "Re", lastName = "Start" });
        await PublishAllAsync(app);
        var published = (await JetStreamContents.ReadAsync(nats.Url)).Count;

        // Aida stopped after NATS acknowledged the events but before it saved the position: a new process starts from the old one.
        await app.QueryAsync(d => d.Set<EventPublisher>().ExecuteUpdateAsync(s => s.SetProperty(p => p.Position, d.Dialect.FormatFeedPosition(default))));
        var restarted = ActivatorUtilities.CreateInstance<NatsPublisher>(app.Services);
        await using (restarted)
        {
            await PublishAllAsync(app, restarted);
            Assert.Equal(published, (await JetStreamContents.ReadAsync(nats.Url)).Count);

            await app.Client.CreateIndividualAsync("After Restart");
            await PublishAllAsync(app, restarted);
        }

        AssertSameEvents(await Feed.AllAsync(app), await JetStreamContents.ReadAsync(nats.Url));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task WhenNatsStopsMidStream_ServingGoesOn_HealthIsDegradedWithTheLag_AndAfterItsRestartEverythingArrivesOnceInOrder(DatabaseKind db)
    {
        await using var nats = await NatsServer.StartAsync();
        // Small batches, so the outage falls between saved positions as well as inside a batch.
        await using var app = await AidaApp.StartAsync(db, Settings(nats, batchSize: 7));
        for (var i = 0; i < 60; i++)
        {
            await app.Client.CreateIndividualAsync($"Before Outage{i}");
        }

        // Stop NATS as soon as the stream holds the 20th event, while the publisher is still sending.
        var publisher = app.Services.GetRequiredService<NatsPublisher>();
        await using (var watcher = new NatsConnection(new NatsOpts { Url = nats.Url }))
        {
            await using var seen = await watcher.SubscribeCoreAsync<byte[]>("aida.>");
            await watcher.PingAsync();
            var running = Task.Run(() => PublishAllAsync(app));
            var count = 0;
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await foreach (var _ in seen.Msgs.ReadAllAsync(patience.Token))
            {
                if (++count == 20)
                {
                    break;
                }
            }

            await nats.StopAsync();
            await Assert.ThrowsAnyAsync<Exception>(() => running);
        }

        await Assert.ThrowsAsync<NatsPublishException>(() => publisher.RunAsync(CancellationToken.None));
        var stalled = await StatusAsync(app);
        Assert.True(stalled.GetProperty("pending").GetInt32() > 0, $"Events should wait while NATS is down: {stalled}");
        Assert.StartsWith("NATS unreachable", stalled.Str("error"), StringComparison.Ordinal);
        Assert.DoesNotContain(nats.Port.ToString(CultureInfo.InvariantCulture), stalled.Str("error"), StringComparison.Ordinal);

        // Users go on working while NATS is down, and readiness says "degraded" (200) with the lag, not "unhealthy".
        for (var i = 0; i < 10; i++)
        {
            await app.Client.CreateIndividualAsync($"During Outage{i}");
        }

        var ready = await app.Anonymous.GetAsync("/health/ready");
        var health = await ready.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("degraded", health.Str("status"));
        var check = health.GetProperty("checks").GetProperty("nats");
        Assert.Equal("degraded", check.Str("status"));
        Assert.True(check.GetProperty("data").GetProperty("pending").GetInt32() >= 10, $"The lag should be on /health/ready: {check}");
        Assert.True(check.GetProperty("data").GetProperty("failing").GetBoolean());

        await nats.RestartAsync();
        await PublishAllAsync(app);

        var feed = await Feed.AllAsync(app);
        AssertSameEvents(feed, await JetStreamContents.ReadAsync(nats.Url));
        var healthy = await (await app.Anonymous.GetAsync("/health/ready")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("healthy", healthy.GetProperty("checks").GetProperty("nats").Str("status"));
        Assert.Equal(JsonValueKind.Null, (await StatusAsync(app)).GetProperty("error").ValueKind);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task UnderTheScheduler_ACommitThatWroteEvents_WakesThePublisher_LongBeforeItsInterval(DatabaseKind db)
    {
        await using var nats = await NatsServer.StartAsync();
        var settings = Settings(nats);
        settings.Remove("Jobs:Enabled");
        // Only the wake after a commit can publish within the test's patience: the job's own interval is an hour.
        settings["Events:Nats:Interval"] = "01:00:00";
        await using var app = await AidaApp.StartAsync(db, settings);
        await Wait.UntilAsync(async () => (await StatusAsync(app)).GetProperty("pending").GetInt32() == 0, "the start-up run to publish the set-up events");

        await app.Client.CreateIndividualAsync("Woken Up");

        await Wait.UntilAsync(
            async () => (await StatusAsync(app)).GetProperty("pending").GetInt32() == 0,
            "the commit's wake-up to publish the new event", TimeSpan.FromSeconds(20));
        AssertSameEvents(await Feed.AllAsync(app), await JetStreamContents.ReadAsync(nats.Url));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task TheStatus_IsForAdministrators_OnTheApiAndTheEventsPage(DatabaseKind db)
    {
        await using var nats = await NatsServer.StartAsync();
        await using var app = await AidaApp.StartAsync(db, Settings(nats));
        await app.Client.CreateIndividualAsync("Page View");

        var (_, manager) = await app.UserAsync(Role.Manager);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.GetAsync("/api/v1/admin/events/nats")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous.GetAsync("/api/v1/admin/events/nats")).StatusCode);

        var (admin, _) = await app.UserAsync(Role.Admin, password: Password);
        using var browser = await PageBrowser.SignedInAsync(app, admin, Password);
        // Creating these users wrote events too: everything is published before the page is read.
        await PublishAllAsync(app);
        var page = await browser.OpenAsync("/settings/events");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("Publishing", page.Text("#nats-state"));
        Assert.Equal("0", page.Text("#nats-pending"));
        var published = (await StatusAsync(app)).GetProperty("publishedCount").GetInt32();
        Assert.Equal(published.ToString("N0", CultureInfo.InvariantCulture), page.Text("#nats-published"));

        var (rep, _) = await app.UserAsync(Role.Rep, password: Password);
        using var repBrowser = await PageBrowser.SignedInAsync(app, rep, Password);
        Assert.Equal(HttpStatusCode.Forbidden, (await repBrowser.OpenAsync("/settings/events")).Status);
    }

    private static Dictionary<string, string?> Settings(NatsServer nats, int batchSize = 500) => new()
    {
        ["Events:Nats:Url"] = nats.Url,
        ["Events:Nats:BatchSize"] = batchSize.ToString(CultureInfo.InvariantCulture),
        ["Events:Nats:Timeout"] = "00:00:02",
        // These tests run the publisher themselves, to stop NATS while it is mid-stream; the scheduler's own runs are tested apart.
        ["Jobs:Enabled"] = "false",
    };

    /// <summary>Runs the publisher until nothing waits (on PostgreSQL a commit is served once older transactions end).</summary>
    private static async Task PublishAllAsync(AidaApp app, NatsPublisher? publisher = null)
    {
        publisher ??= app.Services.GetRequiredService<NatsPublisher>();
        await Wait.UntilAsync(
            async () =>
            {
                await publisher.RunAsync(CancellationToken.None);
                return (await StatusAsync(app)).GetProperty("pending").GetInt32() == 0;
            },
            "the NATS publisher to publish every event");
    }

    private static async Task<JsonElement> StatusAsync(AidaApp app) =>
        await (await app.Client.GetAsync("/api/v1/admin/events/nats")).ExpectAsync(HttpStatusCode.OK);

    /// <summary>The stream holds the feed: the same events, in the same order, none missing, none twice, each on aida.&lt;type&gt;.</summary>
    private static void AssertSameEvents(List<JsonElement> feed, List<StreamMessage> stream)
    {
        Assert.Equal(feed.Select(e => e.Id().ToString()), stream.Select(m => m.MsgId));
        Assert.Equal(feed.Select(e => e.Id()), stream.Select(m => m.Body.Id()));
        Assert.Equal(feed.Select(e => "aida." + e.Str("type")), stream.Select(m => m.Subject));
        Assert.Equal(Enumerable.Range(1, stream.Count).Select(i => (ulong)i), stream.Select(m => m.Sequence));
        foreach (var (expected, actual) in feed.Zip(stream))
        {
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected.GetRawText()), JsonNode.Parse(actual.Body.GetRawText())),
                $"The stream's envelope {actual.Body} is not the feed's {expected}");
        }
    }
}
