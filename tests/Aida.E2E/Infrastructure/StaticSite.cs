using System.Net;
using System.Text;
using Aida.Tests.Cli;

namespace Aida.E2E.Infrastructure;

/// <summary>
/// Another web site on this machine — a different origin from Aida's — that serves fixed HTML pages by
/// path, as a company's own site would serve the page it pasted a web-form snippet into. A real listener
/// on loopback rather than an intercepted route: Chromium judges cross-site requests by the address the
/// page came from, and a page with none counts as public, whose scripts may not load from loopback.
/// </summary>
public sealed class StaticSite : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Dictionary<string, string> _pages = new(StringComparer.Ordinal);
    private readonly Task _serving;

    public StaticSite()
    {
        Url = $"http://127.0.0.1:{AidaProcess.FreePort()}";
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _serving = ServeAsync();
    }

    /// <summary>The site's origin, e.g. <c>http://127.0.0.1:41235</c> (no trailing slash).</summary>
    public string Url { get; }

    public void Page(string path, string html)
    {
        lock (_pages)
        {
            _pages[path] = html;
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            string? html;
            lock (_pages)
            {
                _pages.TryGetValue(context.Request.Url!.AbsolutePath, out html);
            }

            var body = Encoding.UTF8.GetBytes(html ?? "<!doctype html><title>Not found</title><h1>Not found</h1>");
            context.Response.StatusCode = html is null ? 404 : 200;
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving;
    }
}
