using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;

namespace Aida.Tests.Platform.Events.Live;

/// <summary>A server whose streams send a heartbeat every second and check their caller's rights every second.</summary>
public sealed class LiveFixture() : AidaFixture(new Dictionary<string, string?>
{
    ["Events:Live:HeartbeatSeconds"] = "1",
    ["Events:Live:RecheckSeconds"] = "1",
});

/// <summary>
/// Issue 19.3: <c>GET /api/v1/events/stream</c> serves the event feed as server-sent events — the same
/// envelopes, order and record-level filtering as <c>GET /api/v1/events</c>, resumable with Last-Event-ID,
/// kept open by heartbeats, and fed by commits of any node on the database.
/// </summary>
public sealed class EventStreamTests(LiveFixture fixture) : IClassFixture<LiveFixture>
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Stream_SendsEachEventInCommitOrder_AsTheFeedShowsIt_WithTheCursorAfterItAsId(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var after = await app.FeedStartAsync();
        using var http = Plain(app, app.Client);
        await using var stream = await SseClient.OpenAsync(http, $"/api/v1/events/stream?after={Uri.EscapeDataString(after)}");

        Assert.Equal("text/event-stream", stream.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no", stream.Response.Headers.GetValues("X-Accel-Buffering").Single());
        Assert.Contains("no-cache", stream.Response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.Equal(3000, (await stream.NextAsync()).Retry);

        var first = await app.Client.CreateOrganizationAsync(primaryContact: new { firstName = "Sse", lastName = "One" });
        var second = await app.Client.CreateIndividualAsync();
        var events = await stream.EventsUntilAsync(e => e.Data!.Contains(second.Id().ToString(), StringComparison.Ordinal) && e.Event == "customer.created");

        var (feed, _) = await Feed.WaitForAsync(app, events.Count, after);
        Assert.Equal(feed.Select(e => e.Id().ToString()), events.Select(e => JsonDocument.Parse(e.Data!).RootElement.Id().ToString()));
        Assert.Equal(["customer.created", "contact.created", "customer.created"], events.Select(e => e.Event));
        Assert.Equal($"customers/{first.Id()}", JsonDocument.Parse(events[0].Data!).RootElement.Str("subject"));
        for (var i = 0; i < events.Count; i++)
        {
            // The envelope exactly as the feed gives it, and the id a cursor that continues just after it.
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(feed[i].GetRawText()), JsonNode.Parse(events[i].Data!)), $"{events[i].Data} is not {feed[i]}");
            var (next, _) = await Feed.ReadAsync(app, events[i].Id, "limit=1");
            if (i + 1 < events.Count)
            {
                Assert.Equal(feed[i + 1].Id(), Assert.Single(next).Id());
            }
        }
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Stream_OfARep_CarriesTheirCustomersEvents_AndNoneOfAnotherRepsCustomer(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repClient) = await app.UserAsync(Role.Rep);
        var (other, _) = await app.UserAsync(Role.Rep);
        using var http = Plain(app, repClient);
        await using var stream = await SseClient.OpenAsync(http, "/api/v1/events/stream");
        await stream.NextAsync(); // retry: the stream is open and starts at the present

        var theirs = await app.Client.CreateIndividualAsync(name: Builders.Unique("Other's "), ownerId: other.Id);
        await (await app.Client.PatchJsonAsync($"/api/v1/customers/{theirs.Id()}", new { status = "active" })).ExpectAsync(HttpStatusCode.OK);
        var mine = await app.Client.CreateIndividualAsync(name: Builders.Unique("Mine "), ownerId: rep.Id);

        // Commit order: the other rep's customer's events came first, so had they been sent, they would be here.
        var events = await stream.EventsUntilAsync(e => e.Data!.Contains(mine.Id().ToString(), StringComparison.Ordinal));
        Assert.DoesNotContain(events, e => e.Data!.Contains(theirs.Id().ToString(), StringComparison.Ordinal));
        Assert.Equal("customer.created", events[^1].Event);
        // An administrator's stream from the same point carries both.
        using var adminHttp = Plain(app, app.Client);
        await using var admin = await SseClient.OpenAsync(adminHttp, "/api/v1/events/stream?after=" + Uri.EscapeDataString(await app.FeedStartAsync()));
        var all = await admin.EventsUntilAsync(e => e.Data!.Contains(mine.Id().ToString(), StringComparison.Ordinal));
        Assert.Contains(all, e => e.Data!.Contains(theirs.Id().ToString(), StringComparison.Ordinal));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Stream_ResumedWithLastEventId_MissesNothingAndRepeatsNothing(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        using var http = Plain(app, app.Client);
        var created = new List<Guid>();
        string resumeAt;
        await using (var stream = await SseClient.OpenAsync(http, "/api/v1/events/stream?type=customer.created"))
        {
            await stream.NextAsync();
            for (var i = 0; i < 2; i++)
            {
                created.Add((await app.Client.CreateIndividualAsync()).Id());
            }

            var before = await stream.EventsUntilAsync(e => e.Data!.Contains(created[1].ToString(), StringComparison.Ordinal));
            Assert.Equal(created, before.Select(Customer));
            resumeAt = before[^1].Id!;
        }

        // Written while no one listened.
        for (var i = 0; i < 3; i++)
        {
            created.Add((await app.Client.CreateIndividualAsync()).Id());
        }

        await using var resumed = await SseClient.OpenAsync(http, "/api/v1/events/stream?type=customer.created", lastEventId: resumeAt);
        created.Add((await app.Client.CreateIndividualAsync()).Id());
        var after = await resumed.EventsUntilAsync(e => e.Data!.Contains(created[^1].ToString(), StringComparison.Ordinal));
        Assert.Equal(created.Skip(2), after.Select(Customer));

        // ?after= does the same for a client that keeps its cursor itself; Last-Event-ID wins when both are sent.
        await using var byQuery = await SseClient.OpenAsync(http, $"/api/v1/events/stream?type=customer.created&after={Uri.EscapeDataString(resumeAt)}");
        Assert.Equal(created[2], Customer((await byQuery.EventsUntilAsync(_ => true)).Single()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Stream_WhenQuiet_SendsHeartbeatCommentsEveryInterval(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (_, viewer) = await app.UserAsync(Role.Viewer);
        using var http = Plain(app, viewer);
        await using var stream = await SseClient.OpenAsync(http, "/api/v1/events/stream");
        Assert.NotNull((await stream.NextAsync()).Retry);

        var started = DateTime.UtcNow;
        Assert.Equal("heartbeat", (await stream.NextAsync(TimeSpan.FromSeconds(10))).Comment);
        Assert.Equal("heartbeat", (await stream.NextAsync(TimeSpan.FromSeconds(10))).Comment);
        // HeartbeatSeconds = 1 here: two take about two seconds, not the default fifteen each.
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(10));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Stream_OfARevokedToken_Ends(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (_, rep) = await app.UserAsync(Role.Rep);
        using var http = Plain(app, rep);
        await using var stream = await SseClient.OpenAsync(http, "/api/v1/events/stream");
        await stream.NextAsync();

        var token = Assert.Single((await (await rep.GetAsync("/api/v1/me/tokens")).ExpectAsync(HttpStatusCode.OK)).EnumerateArray());
        await (await rep.DeleteAsync($"/api/v1/me/tokens/{token.Id()}")).ExpectAsync(HttpStatusCode.NoContent);

        await stream.WaitForEndAsync(TimeSpan.FromSeconds(15));
        Assert.True(stream.Ended);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Stream_WithACursorItDidNotIssue_Is400NamingTheHeaderOrParameter(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/events/stream");
        request.Headers.TryAddWithoutValidation("Last-Event-ID", "not-a-cursor");
        await (await app.Client.SendAsync(request)).ExpectProblemAsync(HttpStatusCode.BadRequest, "Last-Event-ID");
        await (await app.Client.GetAsync("/api/v1/events/stream?after=x.1")).ExpectProblemAsync(HttpStatusCode.BadRequest, "after");
        await (await app.Client.GetAsync($"/api/v1/events/stream?type={new string('t', 101)}")).ExpectProblemAsync(HttpStatusCode.BadRequest, "type");
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous.GetAsync("/api/v1/events/stream")).StatusCode);
    }

    /// <summary>Two nodes on one database: a stream on the first sees what is committed through the second (it polls; no in-process signal crosses).</summary>
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Stream_OnOneNode_SeesChangesCommittedThroughAnother(DatabaseKind db)
    {
        var database = await TestDatabase.CreateAsync(db);
        var settings = new Dictionary<string, string?> { ["Events:Live:PollMilliseconds"] = "200" };
        await using var first = await AidaApp.StartAsync(database, settings);
        await using var second = await AidaApp.StartAsync(database, settings, ownsDatabase: false);
        using var http = Plain(first, first.Client);
        await using var stream = await SseClient.OpenAsync(http, "/api/v1/events/stream?type=customer.created");
        await stream.NextAsync();

        var customer = await second.Client.CreateIndividualAsync();

        var events = await stream.EventsUntilAsync(_ => true);
        Assert.Equal(customer.Id(), Customer(Assert.Single(events)));
    }

    private static Guid Customer(SseMessage message) =>
        JsonDocument.Parse(message.Data!).RootElement.GetProperty("data").GetProperty("customer").Id();

    /// <summary>
    /// A client without the OpenAPI check, which would read the whole response before handing it over (a stream
    /// never ends), with the same token as <paramref name="client"/>.
    /// </summary>
    private static HttpClient Plain(AidaApp app, HttpClient client)
    {
        var http = app.NewHttpClient();
        http.DefaultRequestHeaders.Authorization = client.DefaultRequestHeaders.Authorization;
        http.Timeout = Timeout.InfiniteTimeSpan;
        return http;
    }
}
