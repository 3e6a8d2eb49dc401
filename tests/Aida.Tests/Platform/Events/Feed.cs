using System.Net;
using System.Text.Json;
using Aida.Tests.Infrastructure;

namespace Aida.Tests.Platform.Events;

/// <summary>Reads <c>/api/v1/events</c> the way a poller does.</summary>
public static class Feed
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Reads from <paramref name="after"/>, or — when null — from just after the events the test server's
    /// own set-up wrote (its administrator and token), so a test sees only the events it caused.
    /// </summary>
    public static async Task<(JsonElement[] Items, string NextCursor)> ReadAsync(AidaApp app, string? after = null, string? query = null)
    {
        after ??= await app.FeedStartAsync();
        var url = "/api/v1/events?" + (after is null ? "" : $"after={Uri.EscapeDataString(after)}&") + query;
        var page = await (await app.Client.GetAsync(url)).ExpectAsync(HttpStatusCode.OK);
        return (page.Items(), page.GetProperty("nextCursor").GetString()!);
    }

    /// <summary>
    /// Reads until at least <paramref name="count"/> events are served. On PostgreSQL the feed holds back
    /// events until every older transaction on the server has ended — including transactions of other
    /// tests' databases — so a committed event may take a moment to be served; SQLite serves at once.
    /// </summary>
    public static Task<(JsonElement[] Items, string NextCursor)> WaitForAsync(AidaApp app, int count, string? after = null, string? query = null) =>
        Wait.ForAsync(() => ReadAsync(app, after, query), page => page.Items.Length >= count, Patience);

    /// <summary>The whole outbox as an administrator reads it, from its very beginning, every page.</summary>
    public static async Task<List<JsonElement>> AllAsync(AidaApp app)
    {
        var events = new List<JsonElement>();
        var cursor = "";
        while (true)
        {
            var page = await (await app.Client.GetAsync($"/api/v1/events?limit=200&after={Uri.EscapeDataString(cursor)}")).ExpectAsync(HttpStatusCode.OK);
            var items = page.Items();
            if (items.Length == 0)
            {
                return events;
            }

            events.AddRange(items);
            cursor = page.GetProperty("nextCursor").GetString()!;
        }
    }

    public static string[] Types(this JsonElement[] events) => events.Select(e => e.Str("type")).ToArray();
}
