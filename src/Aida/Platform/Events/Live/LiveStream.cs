using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Aida.Platform.Events.Live;

/// <summary>One server-sent event: its type (<c>event:</c>) and its data, one line of JSON.</summary>
public readonly record struct LiveMessage(string Event, string Data);

/// <summary>
/// Serves one open stream of the event feed (the API's and the web UI's): from its starting position, it
/// reads the feed in commit order as its caller — in a scope of its own per read, under the caller's
/// record-level filters, so it sees exactly what <c>GET /api/v1/events</c> would show them — writes what
/// <paramref name="toMessage"/> makes of each event with <c>id:</c> = the feed cursor after it, then waits
/// on <see cref="LiveFeed"/> for more. A comment line goes out when nothing else has for a heartbeat; the
/// caller's right to read is checked again every <see cref="LiveOptions.RecheckSeconds"/>. It holds no
/// database connection while it waits. It ends when the client goes, or when the caller may no longer read.
/// </summary>
public static partial class LiveStream
{
    /// <summary>Events read per query; a burst larger than this is read in several.</summary>
    private const int Batch = 200;

    public static async Task RunAsync(
        HttpContext http, FeedPosition start, string? type, string permission, Func<AidaDb, OutboxEvent, LiveViewer, LiveMessage?> toMessage)
    {
        var services = http.RequestServices;
        var options = services.GetRequiredService<IOptions<LiveOptions>>().Value;
        var feed = services.GetRequiredService<LiveFeed>();
        var scopes = services.GetRequiredService<IServiceScopeFactory>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(LiveStream));
        var viewer = LiveViewer.Of(http);
        var cancellationToken = http.RequestAborted;

        var response = http.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache, no-store";
        // nginx (and proxies that follow it) would otherwise hold events back to fill a buffer.
        response.Headers["X-Accel-Buffering"] = "no";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        var writer = new StringBuilder();
        writer.Append(CultureInfo.InvariantCulture, $"retry: {options.RetryMilliseconds}\n\n");
        var cursor = start;
        var lastWrite = Stopwatch.GetTimestamp();
        var lastCheck = Stopwatch.GetTimestamp();
        try
        {
            await FlushAsync(response, writer, cancellationToken);
            while (!cancellationToken.IsCancellationRequested)
            {
                // Noted before reading: a commit while this reads moves the version, so the wait below returns at once.
                var seen = feed.Version;
                cursor = await ReadAsync(scopes, viewer, cursor, type, toMessage, writer, cancellationToken);
                if (writer.Length > 0)
                {
                    await FlushAsync(response, writer, cancellationToken);
                    lastWrite = Stopwatch.GetTimestamp();
                }

                var quiet = Stopwatch.GetElapsedTime(lastWrite);
                if (quiet >= options.Heartbeat || !await feed.WaitAsync(seen, options.Heartbeat - quiet, cancellationToken))
                {
                    if (Stopwatch.GetElapsedTime(lastWrite) >= options.Heartbeat)
                    {
                        writer.Append(": heartbeat\n\n");
                        await FlushAsync(response, writer, cancellationToken);
                        lastWrite = Stopwatch.GetTimestamp();
                    }
                }

                if (Stopwatch.GetElapsedTime(lastCheck) >= options.Recheck)
                {
                    lastCheck = Stopwatch.GetTimestamp();
                    if (!await RecheckAsync(scopes, viewer, permission, cancellationToken))
                    {
                        LogEnded(logger, viewer.UserId);
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away: the usual end of a stream.
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException or IOException)
        {
            // The database (or the connection) failed mid-stream. The headers are sent, so no problem response can
            // follow: the stream ends, and the client reconnects with its Last-Event-ID and misses nothing.
            LogFailed(logger, e);
        }
    }

    private static async Task<FeedPosition> ReadAsync(
        IServiceScopeFactory scopes, LiveViewer viewer, FeedPosition cursor, string? type,
        Func<AidaDb, OutboxEvent, LiveViewer, LiveMessage?> toMessage, StringBuilder writer, CancellationToken cancellationToken)
    {
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            viewer.ActAs(scope.ServiceProvider.GetRequiredService<OperationContext>());
            var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
            var rows = await db.Dialect.ReadFeedAsync(db, cursor, Batch, type, cancellationToken);
            foreach (var (e, position) in rows)
            {
                if (toMessage(db, e, viewer) is { } message)
                {
                    Write(writer, db.Dialect.FormatFeedPosition(position), message);
                }
            }

            if (rows.Count > 0)
            {
                cursor = rows[^1].Position;
            }

            if (rows.Count < Batch)
            {
                return cursor;
            }
        }
    }

    private static async Task<bool> RecheckAsync(IServiceScopeFactory scopes, LiveViewer viewer, string permission, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
        return await viewer.RecheckAsync(db, permission, cancellationToken);
    }

    /// <summary>One message in the text/event-stream format; data of several lines is sent as several data lines.</summary>
    private static void Write(StringBuilder writer, string id, LiveMessage message)
    {
        writer.Append("id: ").Append(id).Append('\n');
        writer.Append("event: ").Append(message.Event).Append('\n');
        foreach (var line in message.Data.Split('\n'))
        {
            writer.Append("data: ").Append(line.TrimEnd('\r')).Append('\n');
        }

        writer.Append('\n');
    }

    private static async Task FlushAsync(HttpResponse response, StringBuilder writer, CancellationToken cancellationToken)
    {
        await response.WriteAsync(writer.ToString(), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
        writer.Clear();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Live stream of user {UserId} ended: the user or token may no longer read the feed")]
    private static partial void LogEnded(ILogger logger, Guid userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live stream ended by a failure; the client will reconnect and resume")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
