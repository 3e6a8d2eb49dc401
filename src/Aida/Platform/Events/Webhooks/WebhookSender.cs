using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;

namespace Aida.Platform.Events.Webhooks;

/// <summary>The body every delivery sends: the event envelope of ARCHITECTURE.md.</summary>
public sealed record WebhookEnvelope(Guid Id, string Type, string Subject, DateTime Time, Guid Actor, JsonElement Data);

/// <summary>What one attempt came to.</summary>
public sealed record WebhookAttempt(bool Succeeded, int? ResponseStatus, int LatencyMs, string? ResponseExcerpt, string? Error);

/// <summary>
/// Sends one delivery: a POST of its payload, signed (<see cref="WebhookSecrets"/>), over one keep-alive
/// connection pool for every receiver. A receiver gets <see cref="WebhookOptions.Timeout"/> to answer; a 3xx
/// is a failure (redirects are never followed, so a receiver cannot bounce Aida to an internal address); only
/// the first 4 KB of an answer are read; connections go only to addresses <see cref="WebhookAddresses"/> allows.
/// </summary>
public sealed class WebhookSender : IDisposable
{
    private readonly HttpClient _client;
    private readonly WebhookOptions _options;
    private readonly TimeProvider _clock;

    public WebhookSender(IOptions<WebhookOptions> options, TimeProvider clock)
    {
        _options = options.Value;
        _clock = clock;
        var allowPrivate = _options.AllowPrivateNetworks;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            ConnectTimeout = _options.Timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            // An answer read only in part is not drained (a 10 MB answer costs 4 KB): the connection is closed instead.
            MaxResponseDrainSize = 0,
            MaxResponseHeadersLength = 64,
            // The address is checked where the connection is made, after resolution, so DNS rebinding gains nothing.
            ConnectCallback = async (context, token) =>
                new NetworkStream(await WebhookAddresses.ConnectAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, allowPrivate, token), ownsSocket: true),
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd("Aida-Webhooks/1.0");
    }

    public async Task<WebhookAttempt> SendAsync(string url, WebhookDelivery delivery, IReadOnlyList<string> secrets, CancellationToken cancellationToken)
    {
        var id = delivery.EventId.ToString();
        var timestamp = _clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSecrets.Signature(id, timestamp, delivery.Payload, secrets));

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.Timeout);
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var excerpt = await ExcerptAsync(response, deadline.Token);
            var status = (int)response.StatusCode;
            var error = status switch
            {
                >= 200 and < 300 => null,
                >= 300 and < 400 => "Redirects are not followed; point the webhook at the final address.",
                _ => $"The receiver answered {status}.",
            };
            return new WebhookAttempt(error is null, status, Elapsed(watch), excerpt, error);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookAttempt(false, null, Elapsed(watch), null,
                string.Create(CultureInfo.InvariantCulture, $"No answer within {_options.Timeout.TotalSeconds:0.#} s."));
        }
        catch (HttpRequestException e)
        {
            var reason = e.InnerException is WebhookAddressRefusedException refused ? refused.Message : "Could not reach the receiver: " + e.Message;
            return new WebhookAttempt(false, null, Elapsed(watch), null, Cut(reason, WebhookDelivery.ErrorMaxLength));
        }
    }

    /// <summary>The first <see cref="WebhookDelivery.ExcerptMaxBytes"/> of the body as text; the rest is never read.</summary>
    private static async Task<string?> ExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[WebhookDelivery.ExcerptMaxBytes];
            var read = 0;
            while (read < buffer.Length)
            {
                var n = await body.ReadAsync(buffer.AsMemory(read), cancellationToken);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            return read == 0 ? null : Encoding.UTF8.GetString(buffer, 0, read).Replace("\0", "", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            // The answer's status counts; a body cut off by the receiver is only not shown.
            return null;
        }
    }

    private static int Elapsed(Stopwatch watch) => (int)Math.Min(int.MaxValue, watch.ElapsedMilliseconds);

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    public void Dispose() => _client.Dispose();
}
