using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Aida.Tests.Features.Interactions;

/// <summary>
/// The people the access tests need, around one customer owned by <see cref="Author"/> (a rep of team A):
/// a teammate, team A's manager, a viewer (sees every customer, belongs to no team), and a rep of team B
/// who cannot see the customer at all. The administrator is <c>App.Client</c>.
/// </summary>
public sealed record Crowd(
    AidaApp App,
    User Author, HttpClient AuthorClient,
    User TeammateUser, HttpClient Teammate,
    User ManagerUser, HttpClient Manager,
    User ViewerUser, HttpClient Viewer,
    User OutsiderUser, HttpClient Outsider,
    Guid CustomerId)
{
    public static async Task<Crowd> BuildAsync(AidaApp app)
    {
        var (managerUser, manager) = await app.UserAsync(Role.Manager);
        var (otherManager, _) = await app.UserAsync(Role.Manager);
        var teamA = await app.TeamAsync(managerUser.Id);
        var teamB = await app.TeamAsync(otherManager.Id);
        var (author, authorClient) = await app.UserAsync(Role.Rep, teamA.Id);
        var (teammateUser, teammate) = await app.UserAsync(Role.Rep, teamA.Id);
        var (viewerUser, viewer) = await app.UserAsync(Role.Viewer);
        var (outsiderUser, outsider) = await app.UserAsync(Role.Rep, teamB.Id);
        var customer = await authorClient.CreateIndividualAsync(ownerId: author.Id);
        return new Crowd(app, author, authorClient, teammateUser, teammate, managerUser, manager, viewerUser, viewer, outsiderUser, outsider, customer.Id());
    }

    /// <summary>Everyone, by the name a failed assertion should show.</summary>
    public IEnumerable<(string Name, HttpClient Client)> Everyone =>
    [
        ("author", AuthorClient), ("teammate", Teammate), ("manager", Manager), ("admin", App.Client), ("viewer", Viewer), ("outsider", Outsider),
    ];
}

public static class InteractionsTesting
{
    public static async Task<JsonElement> NoteAsync(this HttpClient client, Guid customerId, string content, string visibility = "all", string? title = null, bool pinned = false) =>
        await (await client.PostJsonAsync("/api/v1/notes", new { customerId, title, content, isPinned = pinned, visibility }))
            .ExpectAsync(HttpStatusCode.Created);

    public static async Task<JsonElement> ActivityAsync(this HttpClient client, Guid? customerId, DateTimeOffset dueDate, string subject = "Call back",
        string activityType = "call", DateTimeOffset? reminderAt = null, Guid? assignedTo = null, Guid? contactId = null) =>
        await (await client.PostJsonAsync("/api/v1/activities", new { customerId, contactId, activityType, subject, dueDate, reminderAt, assignedTo }))
            .ExpectAsync(HttpStatusCode.Created);

    public static async Task<List<Guid>> IdsAsync(this HttpClient client, string url)
    {
        var page = await (await client.GetAsync(url)).ExpectAsync(HttpStatusCode.OK);
        return page.Items().Select(i => i.Id()).ToList();
    }

    /// <summary>The ids of a customer's timeline entries as <paramref name="client"/> sees them (pinned and stream).</summary>
    public static async Task<List<Guid>> TimelineIdsAsync(this HttpClient client, Guid customerId, string query = "")
    {
        var page = await (await client.GetAsync($"/api/v1/customers/{customerId}/timeline?limit=200{query}")).ExpectAsync(HttpStatusCode.OK);
        return page.GetProperty("pinned").EnumerateArray().Concat(page.Items()).Select(i => i.Id()).ToList();
    }

    public static async Task<JsonElement[]> SearchAsync(this HttpClient client, string q, string query = "")
    {
        var page = await (await client.GetAsync($"/api/v1/search?q={Uri.EscapeDataString(q)}{query}")).ExpectAsync(HttpStatusCode.OK);
        return page.Items();
    }

    /// <summary>
    /// Waits until the administrator's feed serves an event of <paramref name="type"/> about <paramref name="recordId"/>:
    /// on PostgreSQL the feed holds back recent commits for a moment, and once this one is served every
    /// earlier commit is too, so other readers can then be read once.
    /// </summary>
    public static Task WaitForEventAsync(AidaApp app, string type, Guid recordId) =>
        Wait.UntilAsync(
            async () => (await FeedAsync(app, app.Client)).Any(e => e.Str("type") == type && e.Str("subject").EndsWith(recordId.ToString(), StringComparison.Ordinal)),
            $"no {type} event for {recordId} in the feed");

    /// <summary>The whole feed as <paramref name="client"/> sees it now, after the test server's own set-up.</summary>
    public static async Task<List<JsonElement>> FeedAsync(AidaApp app, HttpClient client)
    {
        var cursor = await app.FeedStartAsync();
        var all = new List<JsonElement>();
        while (true)
        {
            var page = await (await client.GetAsync($"/api/v1/events?limit=200&after={Uri.EscapeDataString(cursor)}")).ExpectAsync(HttpStatusCode.OK);
            all.AddRange(page.Items());
            cursor = page.Str("nextCursor");
            if (page.Items().Length == 0)
            {
                return all;
            }
        }
    }

    public static Task SetTimeZoneAsync(this AidaApp app, Guid userId, string zone) =>
        app.QueryAsync(d => d.Set<User>().Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.TimeZone, zone)));

    /// <summary>
    /// A fixed-offset zone in which it is now about midday, so "today" stretches many hours either side of
    /// now and a test of the user's day never straddles midnight.
    /// </summary>
    public static string MiddayZone(out TimeSpan offset)
    {
        var hours = 12 - DateTime.UtcNow.Hour;
        hours = hours > 12 ? hours - 24 : hours;
        offset = TimeSpan.FromHours(hours);
        // POSIX-style names: Etc/GMT-3 is three hours ahead of UTC.
        return hours switch
        {
            0 => "Etc/GMT",
            > 0 => $"Etc/GMT-{hours}",
            _ => $"Etc/GMT+{-hours}",
        };
    }
}

/// <summary>Keeps every log message the server writes, for tests that prove something never reaches the logs.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _messages = new();

    public IReadOnlyCollection<string> Messages => _messages;

    /// <summary>Every category at every level, for this provider only: the console stays as quiet as in any test.</summary>
    public static Dictionary<string, string?> Everything => new()
    {
        [$"Logging:{typeof(CapturedLogs).FullName}:LogLevel:Default"] = "Trace",
    };

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _messages);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> messages) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            messages.Enqueue($"{category} scope: {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            messages.Enqueue($"{category} {logLevel}: {formatter(state, exception)} {state} {exception}");
        }
    }
}
