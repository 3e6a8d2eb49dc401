using Aida.Platform.Ui;

namespace Aida.Platform.Events.Live;

/// <summary>
/// <c>GET /ui/live</c>: the signed-in web UI's stream (spec 004 "real-time CRM updates"), opened by
/// <c>wwwroot/js/live.js</c> on every page. It reads the same feed as the API stream, as the viewer, but
/// sends only what a page needs to know to refresh itself through its usual fragment endpoints — never a
/// record's content:
/// <list type="bullet">
/// <item><c>event: change</c>, <c>data: {"type", "customer", "deal"}</c> for every event the viewer may see: the
/// board redraws its columns after a deal event, a customer's timeline reloads after an event of that customer.</item>
/// <item><c>event: notifications</c> when the viewer's own notifications changed: the header's badge reloads.</item>
/// </list>
/// A page starts the stream at the feed position it was drawn at (<see cref="PositionAsync"/>), so nothing
/// committed between drawing and connecting is missed; reconnects resume with <c>Last-Event-ID</c>.
/// </summary>
public static class UiLiveStream
{
    public static async Task<IResult> Handle(HttpContext http, string? after, AidaDb db)
    {
        var errors = new ValidationErrors();
        var resume = http.Request.Headers[EventStream.LastEventIdHeader].ToString();
        var text = resume.Length > 0 ? resume : after;
        var start = string.IsNullOrEmpty(text) ? (FeedPosition?)null : EventFeed.Parse(text, db.Dialect, errors, resume.Length > 0 ? EventStream.LastEventIdHeader : "after");
        if (errors.Any)
        {
            // A page makes this address itself, so a bad cursor is an old or edited page: start at the present.
            start = null;
        }

        var from = start ?? await db.Dialect.ReadFeedEndAsync(db, http.RequestAborted);
        await LiveStream.RunAsync(http, from, null, Permissions.CustomersViewOwn, (_, e, viewer) => ToMessage(e, viewer));
        return Results.Empty;
    }

    /// <summary>What a page makes of <paramref name="e"/>: ids and the event's type only.</summary>
    public static LiveMessage? ToMessage(OutboxEvent e, LiveViewer viewer)
    {
        if (e.Type.StartsWith("notification.", StringComparison.Ordinal))
        {
            // Administrators may read everyone's notification events in the feed; each badge follows its own user's.
            return e.UserId == viewer.UserId ? new LiveMessage("notifications", "{}") : null;
        }

        var deal = e.Type.StartsWith("deal.", StringComparison.Ordinal) ? e.Subject[(e.Subject.LastIndexOf('/') + 1)..] : null;
        var data = JsonSerializer.Serialize(new { type = e.Type, customer = e.CustomerId, deal }, ApiJson.Options);
        return new LiveMessage("change", data);
    }

    /// <summary>The feed position a page is drawn at, for its stream to start from; null when it cannot be read (the stream then starts when it connects).</summary>
    public static async Task<string?> PositionAsync(AidaDb db, CancellationToken cancellationToken)
    {
        try
        {
            return db.Dialect.FormatFeedPosition(await db.Dialect.ReadFeedEndAsync(db, cancellationToken));
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary><c>GET /ui/live/notifications-link</c>: the header's notifications link with a fresh count, for htmx to swap in.</summary>
    public static async Task<IResult> NotificationsLink(HttpContext http, IServiceProvider services, CancellationToken cancellationToken)
    {
        var count = services.GetService<ILayoutCounts>() is { } counts ? await counts.UnreadNotificationsAsync(cancellationToken) : 0;
        // The page that asks (htmx says which) decides whether the link is the current section.
        var page = Uri.TryCreate(http.Request.Headers["HX-Current-URL"].ToString(), UriKind.Absolute, out var current) ? current.AbsolutePath : "";
        return Html.Page<NotificationsLink>(new { Unread = count, Current = page.StartsWith("/notifications", StringComparison.OrdinalIgnoreCase) });
    }
}
