using System.Net;
using System.Text.Json;
using Aida.Features.Interactions.Notifications;
using Aida.Platform.Auth;
using Aida.Tests.Features.Interactions;
using Aida.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Aida.Tests.Platform.Events.Live;

/// <summary>
/// Issue 19.3: <c>/ui/live</c>, the signed-in web UI's stream, tells a page what changed — ids and event types
/// only — for what its viewer may see, and raises the badge for the viewer's own notifications only.
/// </summary>
public sealed class UiLiveStreamTests(UiLiveStreamTests.Server fixture) : IClassFixture<UiLiveStreamTests.Server>
{
    private const string Password = "live stream password 1";

    /// <summary>Reminders go out only when a test sends them.</summary>
    public sealed class Server() : AidaFixture(new Dictionary<string, string?> { ["Reminders:Interval"] = "01:00:00" });

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task UiStream_OfARep_TellsOfChangesToTheirCustomers_WithIdsOnly_AndNothingOfAnotherReps(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, _) = await app.UserAsync(Role.Rep, password: Password);
        var (other, _) = await app.UserAsync(Role.Rep);
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);
        using var http = app.NewHttpClient(cookies: browser.Cookies);
        await using var stream = await SseClient.OpenAsync(http, "/ui/live");
        await stream.NextAsync();

        var theirs = await app.Client.CreateIndividualAsync(ownerId: other.Id);
        var mine = await app.Client.CreateIndividualAsync(name: Builders.Unique("Lively "), ownerId: rep.Id);

        var changes = await stream.EventsUntilAsync(e => e.Data!.Contains(mine.Id().ToString(), StringComparison.Ordinal));
        Assert.All(changes, e => Assert.Equal("change", e.Event));
        Assert.DoesNotContain(changes, e => e.Data!.Contains(theirs.Id().ToString(), StringComparison.Ordinal));
        var last = JsonDocument.Parse(changes[^1].Data!).RootElement;
        Assert.Equal("customer.created", last.Str("type"));
        Assert.Equal(mine.Id(), last.GetProperty("customer").GetGuid());
        Assert.DoesNotContain(mine.Str("displayName"), changes[^1].Data, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task UiStream_RaisesTheBadge_ForTheViewersOwnNotificationsOnly_EvenForAnAdministrator(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (admin, _) = await app.UserAsync(Role.Admin, password: Password);
        var (rep, repClient) = await app.UserAsync(Role.Rep);
        using var browser = await PageBrowser.SignedInAsync(app, admin, Password);
        using var http = app.NewHttpClient(cookies: browser.Cookies);
        await using var stream = await SseClient.OpenAsync(http, "/ui/live");
        await stream.NextAsync();

        // The rep's reminder is due first, so its notification is written first; administrators read its event in the feed.
        var now = DateTimeOffset.UtcNow;
        await app.Client.ActivityAsync(null, now.AddHours(1), "The rep's call", reminderAt: now.AddMinutes(-2), assignedTo: rep.Id);
        await app.Client.ActivityAsync(null, now.AddHours(1), "The admin's call", reminderAt: now.AddMinutes(-1), assignedTo: admin.Id);
        await app.Services.GetRequiredService<ActivityReminders>().RunOnceAsync(CancellationToken.None);
        var marker = await app.Client.CreateIndividualAsync();

        var events = await stream.EventsUntilAsync(e => e.Data!.Contains(marker.Id().ToString(), StringComparison.Ordinal));
        Assert.Equal(1, events.Count(e => e.Event == "notifications"));
        // Both notifications' events are in an administrator's feed, the rep's first: the one message was for the second.
        var (created, _) = await Feed.WaitForAsync(app, 2, null, "type=notification.created");
        Assert.StartsWith($"users/{rep.Id}/notifications/", created[0].Str("subject"), StringComparison.Ordinal);
        Assert.StartsWith($"users/{admin.Id}/notifications/", created[1].Str("subject"), StringComparison.Ordinal);
        Assert.Equal(2, events.Count(e => e.Event == "change" && e.Data!.Contains("\"type\":\"activity.created\"", StringComparison.Ordinal)));

        // The badge the page then reloads counts the administrator's one unread notification.
        var link = await browser.OpenAsync("/ui/live/notifications-link");
        Assert.Equal(HttpStatusCode.OK, link.Status);
        Assert.Equal("1 unread", link.Document.QuerySelector(".badge.count")?.GetAttribute("aria-label"));

        // Reading it (the rep's own, through the API) tells the rep's pages, and not this administrator's.
        var repNotification = Assert.Single((await (await repClient.GetAsync("/api/v1/notifications")).ExpectAsync(HttpStatusCode.OK)).Items());
        await (await repClient.PostAsync($"/api/v1/notifications/{repNotification.Id()}/read", null)).ExpectAsync(HttpStatusCode.NoContent);
        var (read, _) = await Feed.WaitForAsync(app, 1, null, "type=notification.read");
        Assert.StartsWith($"users/{rep.Id}/notifications/", read[0].Str("subject"), StringComparison.Ordinal);
        var customer = await app.Client.CreateIndividualAsync();
        var after = await stream.EventsUntilAsync(e => e.Data!.Contains(customer.Id().ToString(), StringComparison.Ordinal));
        Assert.DoesNotContain(after, e => e.Event == "notifications");
    }
}
