using System.Text.Json;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aida.Tests.Platform.Events.Webhooks;

/// <summary>How a test receiver answers.</summary>
public enum ReceiverMode
{
    Ok,
    Fail,
    Hang,
    Redirect,
    Huge,

    /// <summary>Answers 200 after a short wait, so deliveries sent at once overlap at the receiver.</summary>
    Slow,
}

/// <summary>One request a receiver got: the three Standard Webhooks headers and the body.</summary>
public sealed record Received(string Id, string Timestamp, string Signature, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    /// <summary>When the request arrived and when its answer was written (Stopwatch ticks).</summary>
    public long ArrivedAt { get; } = Stopwatch.GetTimestamp();

    public long AnsweredAt { get; set; } = long.MaxValue;
}

/// <summary>
/// A real webhook receiver: Kestrel on a loopback port, answering as <see cref="Mode"/> says (switchable while
/// it runs), recording every request it got, including those it answers with a failure.
/// </summary>
public sealed class Receiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();

    private Receiver(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    private volatile int _mode;

    public ReceiverMode Mode
    {
        get => (ReceiverMode)_mode;
        set => _mode = (int)value;
    }

    public ConcurrentQueue<Received> Requests { get; } = new();

    private readonly Lock _gate = new();
    private int _inside;
    private int _mostAtOnce;

    /// <summary>The most requests this receiver was answering at the same time.</summary>
    public int MostAtOnce
    {
        get
        {
            lock (_gate)
            {
                return _mostAtOnce;
            }
        }
    }

    public Received[] All => Requests.ToArray();

    public static async Task<Receiver> StartAsync(ReceiverMode mode = ReceiverMode.Ok)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        Receiver? receiver = null;
        app.MapPost("/hook", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            var received = new Received(
                http.Request.Headers["webhook-id"].ToString(), http.Request.Headers["webhook-timestamp"].ToString(),
                http.Request.Headers["webhook-signature"].ToString(), body);
            receiver!.Requests.Enqueue(received);
            lock (receiver._gate)
            {
                receiver._mostAtOnce = Math.Max(receiver._mostAtOnce, ++receiver._inside);
            }

            try
            {
                await AnswerAsync(receiver, http);
                await http.Response.CompleteAsync();
                received.AnsweredAt = Stopwatch.GetTimestamp();
            }
            finally
            {
                lock (receiver._gate)
                {
                    receiver._inside--;
                }
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver = new Receiver(app, new Uri(address.TrimEnd('/') + "/hook")) { Mode = mode };
        return receiver;
    }

    private static async Task AnswerAsync(Receiver receiver, HttpContext http)
    {
        switch (receiver.Mode)
        {
            case ReceiverMode.Fail:
                http.Response.StatusCode = 500;
                await http.Response.WriteAsync("receiver is down");
                break;
            case ReceiverMode.Hang:
                await Task.Delay(Timeout.Infinite, CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, receiver._stopping.Token).Token)
                    .ContinueWith(_ => { }, TaskScheduler.Default);
                break;
            case ReceiverMode.Redirect:
                http.Response.Redirect("http://127.0.0.1:9/elsewhere");
                break;
            case ReceiverMode.Huge:
                http.Response.ContentType = "text/plain";
                var chunk = new string('x', 64 * 1024);
                for (var i = 0; i < 160 && !http.RequestAborted.IsCancellationRequested; i++)
                {
                    await http.Response.WriteAsync(chunk, http.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                }

                break;
            case ReceiverMode.Slow:
                await Task.Delay(50);
                await http.Response.WriteAsync("thanks");
                break;
            default:
                await http.Response.WriteAsync("thanks");
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }
}
