using System.Net.Http.Headers;
using System.Threading.Channels;

namespace Aida.Tests.Platform.Events.Live;

/// <summary>One message of a text/event-stream as a client sees it: an event (id, type, data), a comment, or a retry hint.</summary>
public sealed record SseMessage(string? Id, string? Event, string? Data, string? Comment, int? Retry)
{
    public bool IsEvent => Data is not null;
}

/// <summary>
/// Reads a server-sent event stream the way EventSource does (fields, blank-line dispatch, comments), from a
/// plain HttpClient with the response read as it arrives. Messages queue as they come; the test takes them.
/// </summary>
public sealed class SseClient : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly HttpResponseMessage _response;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<SseMessage> _messages = Channel.CreateUnbounded<SseMessage>();
    private readonly Task _pump;

    private SseClient(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _pump = Task.Run(() => PumpAsync(body));
    }

    public HttpResponseMessage Response => _response;

    /// <summary>True once the server ended the stream.</summary>
    public bool Ended { get; private set; }

    public static async Task<SseClient> OpenAsync(HttpClient client, string url, string? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return new SseClient(response, await response.Content.ReadAsStreamAsync());
    }

    private async Task PumpAsync(Stream body)
    {
        try
        {
            using var reader = new StreamReader(body);
            string? id = null, type = null, data = null;
            int? retry = null;
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (data is not null || retry is not null)
                    {
                        await _messages.Writer.WriteAsync(new SseMessage(id, type, data, null, retry));
                    }

                    id = type = data = null;
                    retry = null;
                    continue;
                }

                if (line.StartsWith(':'))
                {
                    await _messages.Writer.WriteAsync(new SseMessage(null, null, null, line[1..].Trim(), null));
                    continue;
                }

                var colon = line.IndexOf(':', StringComparison.Ordinal);
                var field = colon < 0 ? line : line[..colon];
                var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
                switch (field)
                {
                    case "id": id = value; break;
                    case "event": type = value; break;
                    case "data": data = data is null ? value : data + "\n" + value; break;
                    case "retry": retry = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
        {
            // Closed by the test or the server.
        }
        finally
        {
            Ended = true;
            _messages.Writer.TryComplete();
        }
    }

    /// <summary>The next message of any kind; fails after the patience.</summary>
    public async Task<SseMessage> NextAsync(TimeSpan? patience = null)
    {
        using var timeout = new CancellationTokenSource(patience ?? Patience);
        try
        {
            return await _messages.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No message on the stream within {(patience ?? Patience).TotalSeconds:0.#} s.");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException("The server ended the stream.");
        }
    }

    /// <summary>Events (comments and hints skipped) until <paramref name="last"/> holds of one, which is included.</summary>
    public async Task<List<SseMessage>> EventsUntilAsync(Func<SseMessage, bool> last)
    {
        var events = new List<SseMessage>();
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var remaining = deadline - DateTime.UtcNow;
            var message = await NextAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.FromMilliseconds(1));
            if (!message.IsEvent)
            {
                continue;
            }

            events.Add(message);
            if (last(message))
            {
                return events;
            }
        }
    }

    /// <summary>Waits until the server has ended the stream, reading past what is still queued.</summary>
    public async Task WaitForEndAsync(TimeSpan? patience = null)
    {
        using var timeout = new CancellationTokenSource(patience ?? Patience);
        try
        {
            while (await _messages.Reader.WaitToReadAsync(timeout.Token))
            {
                _messages.Reader.TryRead(out _);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("The server did not end the stream.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _response.Dispose();
        try
        {
            await _pump;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }
}
