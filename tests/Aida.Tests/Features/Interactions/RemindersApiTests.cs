using System.Net;
using System.Text.Json;
using Aida.Features.Interactions.Notifications;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aida.Tests.Features.Interactions;

/// <summary>Activity reminders become in-app notifications for the assignee, once (AC-3); each user sees and marks only their own.</summary>
public sealed class RemindersApiTests(RemindersApiTests.Server fixture) : IClassFixture<RemindersApiTests.Server>
{
    /// <summary>The background loop runs once at start-up and then not again during a test: the test runs it by hand.</summary>
    private static readonly Dictionary<string, string?> ByHand = new() { ["Reminders:Interval"] = "01:00:00" };

    /// <summary>The class's servers, whose reminders only go out when a test sends them.</summary>
    public sealed class Server() : AidaFixture(ByHand);

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task DueReminder_NotifiesTheAssigneeOnce_AndAgainWhenMoved(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var notificationsBefore = await app.QueryAsync(d => d.Set<Notification>().IgnoreQueryFilters().CountAsync());
        var (rep, repClient) = await app.UserAsync(Role.Rep);
        var now = DateTimeOffset.UtcNow;
        var due = await app.Client.ActivityAsync(null, now.AddHours(1), "Call Ann back", assignedTo: rep.Id, reminderAt: now.AddMinutes(-1));
        await app.Client.ActivityAsync(null, now.AddHours(3), "Not yet", assignedTo: rep.Id, reminderAt: now.AddHours(2));
        await app.Client.ActivityAsync(null, now.AddHours(1), "No reminder", assignedTo: rep.Id);
        var done = await app.Client.ActivityAsync(null, now.AddHours(1), "Done before its reminder", assignedTo: rep.Id, reminderAt: now.AddMinutes(-2));
        await (await app.Client.PostJsonAsync($"/api/v1/activities/{done.Id()}/complete", new { })).ExpectAsync(HttpStatusCode.OK);
        var deleted = await app.Client.ActivityAsync(null, now.AddHours(1), "Deleted before its reminder", assignedTo: rep.Id, reminderAt: now.AddMinutes(-2));
        await (await app.Client.DeleteAsync($"/api/v1/activities/{deleted.Id()}", null)).ExpectAsync(HttpStatusCode.NoContent);
        var reminders = app.Services.GetRequiredService<ActivityReminders>();

        await reminders.RunOnceAsync(CancellationToken.None);

        var mine = await ListAsync(repClient);
        var notification = Assert.Single(mine.Items());
        Assert.Equal(1, mine.GetProperty("unreadCount").GetInt32());
        Assert.Equal(due.Id(), notification.GetProperty("activityId").GetGuid());
        Assert.Equal("activity_reminder", notification.Str("kind"));
        Assert.Contains("Call Ann back", notification.Str("title"), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, notification.GetProperty("readAt").ValueKind);
        var admins = await ListAsync(app.Client);
        Assert.Empty(admins.Items());
        Assert.Equal(0, admins.GetProperty("unreadCount").GetInt32());

        // Running again finds nothing new.
        await reminders.RunOnceAsync(CancellationToken.None);
        Assert.Single((await ListAsync(repClient)).Items());
        Assert.Equal(notificationsBefore + 1, await app.QueryAsync(d => d.Set<Notification>().IgnoreQueryFilters().CountAsync()));

        // A moved reminder fires again at its new time; the activity's version is not touched by sending.
        var current = await (await app.Client.GetAsync($"/api/v1/activities/{due.Id()}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, current.GetProperty("version").GetInt32());
        await (await app.Client.PatchJsonAsync($"/api/v1/activities/{due.Id()}", new { reminderAt = DateTimeOffset.UtcNow.AddSeconds(-5) }, "\"1\""))
            .ExpectAsync(HttpStatusCode.OK);
        await reminders.RunOnceAsync(CancellationToken.None);
        var again = await ListAsync(repClient);
        Assert.Equal(2, again.Items().Length);
        Assert.All(again.Items(), n => Assert.Equal(due.Id(), n.GetProperty("activityId").GetGuid()));
        Assert.Equal(2, again.GetProperty("unreadCount").GetInt32());
        await reminders.RunOnceAsync(CancellationToken.None);
        Assert.Equal(notificationsBefore + 2, await app.QueryAsync(d => d.Set<Notification>().IgnoreQueryFilters().CountAsync()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Notifications_AreEachUsersOwn_ToSeeAndToMarkRead(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repClient) = await app.UserAsync(Role.Rep);
        var (other, otherClient) = await app.UserAsync(Role.Rep);
        var now = DateTimeOffset.UtcNow;
        foreach (var (user, subject) in new[] { (rep, "First for rep"), (rep, "Second for rep"), (other, "For the other rep") })
        {
            await app.Client.ActivityAsync(null, now.AddHours(1), subject, assignedTo: user.Id, reminderAt: now.AddMinutes(-1));
        }

        await app.Services.GetRequiredService<ActivityReminders>().RunOnceAsync(CancellationToken.None);
        var repsIds = (await ListAsync(repClient)).Items().Select(n => n.Id()).ToList();
        var othersId = Assert.Single((await ListAsync(otherClient)).Items()).Id();
        Assert.Equal(2, repsIds.Count);
        Assert.DoesNotContain(othersId, repsIds);

        // Someone else's notification does not exist for you: not listed, and not markable.
        await (await repClient.PostJsonAsync($"/api/v1/notifications/{othersId}/read", new { })).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await app.Client.PostJsonAsync($"/api/v1/notifications/{repsIds[0]}/read", new { })).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(2, (await ListAsync(repClient)).GetProperty("unreadCount").GetInt32());
        Assert.Equal(1, (await ListAsync(otherClient)).GetProperty("unreadCount").GetInt32());

        await (await repClient.PostJsonAsync($"/api/v1/notifications/{repsIds[0]}/read", new { })).ExpectAsync(HttpStatusCode.NoContent);
        var afterOne = await ListAsync(repClient);
        Assert.Equal(1, afterOne.GetProperty("unreadCount").GetInt32());
        Assert.NotEqual(JsonValueKind.Null, afterOne.Items().Single(n => n.Id() == repsIds[0]).GetProperty("readAt").ValueKind);
        Assert.Equal([repsIds[1]], (await ListAsync(repClient, "?unread=true")).Items().Select(n => n.Id()));
        // Marking it again is harmless.
        await (await repClient.PostJsonAsync($"/api/v1/notifications/{repsIds[0]}/read", new { })).ExpectAsync(HttpStatusCode.NoContent);

        await (await repClient.PostJsonAsync("/api/v1/notifications/read-all", new { })).ExpectAsync(HttpStatusCode.NoContent);
        Assert.Equal(0, (await ListAsync(repClient)).GetProperty("unreadCount").GetInt32());
        Assert.Empty((await ListAsync(repClient, "?unread=true")).Items());
        // Reading all of one's own leaves everyone else's unread.
        Assert.Equal(1, (await ListAsync(otherClient)).GetProperty("unreadCount").GetInt32());
        Assert.Equal(1, await app.QueryAsync(d => d.Set<Notification>().IgnoreQueryFilters().CountAsync(n => n.UserId == other.Id && n.ReadAt == null)));
    }

    private static async Task<JsonElement> ListAsync(HttpClient client, string query = "") =>
        await (await client.GetAsync("/api/v1/notifications" + query)).ExpectAsync(HttpStatusCode.OK);
}
