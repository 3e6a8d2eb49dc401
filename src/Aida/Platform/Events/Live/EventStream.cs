namespace Aida.Platform.Events.Live;

/// <summary>
/// <c>GET /api/v1/events/stream</c>: the event feed as server-sent events, for API clients. Each message is
/// one event: <c>id:</c> the feed cursor after it, <c>event:</c> its type, <c>data:</c> its envelope exactly
/// as <c>GET /api/v1/events</c> shows it to the same caller (the same record-level filters). A client
/// resumes with <c>Last-Event-ID</c> (EventSource sends it by itself) or <c>?after=</c>, and then misses
/// nothing and sees nothing twice; without either it starts at the present.
/// </summary>
public static class EventStream
{
    public const string LastEventIdHeader = "Last-Event-ID";

    public static async Task<IResult> Handle(HttpContext http, string? after, string? type, AidaDb db)
    {
        var errors = new ValidationErrors();
        var resume = http.Request.Headers[LastEventIdHeader].ToString();
        var start = resume.Length > 0
            ? EventFeed.Parse(resume, db.Dialect, errors, LastEventIdHeader)
            : !string.IsNullOrEmpty(after) ? EventFeed.Parse(after, db.Dialect, errors) : (FeedPosition?)null;
        if (type is { Length: > OutboxEventConfiguration.TypeMaxLength })
        {
            errors.Add("type", $"Is at most {OutboxEventConfiguration.TypeMaxLength} characters: an event type such as deal.stage_changed.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var from = start ?? await db.Dialect.ReadFeedEndAsync(db, http.RequestAborted);
        await LiveStream.RunAsync(http, from, string.IsNullOrEmpty(type) ? null : type, Auth.Permissions.CustomersViewOwn,
            (eventDb, e, _) => new LiveMessage(e.Type, JsonSerializer.Serialize(EventFeed.Envelope(eventDb, e), ApiJson.Options)));
        return Results.Empty;
    }
}
