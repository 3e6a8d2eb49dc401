using System.Globalization;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Aida.E2E.Infrastructure;

/// <summary>
/// One test's browser context and page. Screenshots land in
/// <c>&lt;bin&gt;/screenshots/&lt;test&gt;/&lt;nn&gt;-&lt;screen&gt;.png</c>, numbered in the order taken, for
/// people to review; what the page logged as errors goes to the test's output.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly ITestOutputHelper _log;
    private readonly List<string> _pageErrors = [];
    private int _screenshots;

    private BrowserSession(IBrowserContext context, IPage page, string screenshotDirectory, ITestOutputHelper log)
    {
        _context = context;
        Page = page;
        ScreenshotDirectory = screenshotDirectory;
        _log = log;
    }

    public IPage Page { get; }

    public string ScreenshotDirectory { get; }

    internal static async Task<BrowserSession> OpenAsync(IBrowserContext context, string testName, ITestOutputHelper log)
    {
        // A rerun replaces the screenshots of the last run rather than mixing with them.
        var directory = Path.Combine(AppContext.BaseDirectory, "screenshots", testName);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        Directory.CreateDirectory(directory);
        var page = await context.NewPageAsync();
        var session = new BrowserSession(context, page, directory, log);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                session.RecordPageError($"console error at {message.Location}: {message.Text}");
            }
        };
        page.PageError += (_, error) => session.RecordPageError($"uncaught exception: {error}");
        return session;
    }

    /// <summary>Saves a full-page PNG of <paramref name="page"/>; <paramref name="screen"/> names what it shows, e.g. "sign-in".</summary>
    public async Task<string> ScreenshotAsync(IPage page, string screen)
    {
        var number = Interlocked.Increment(ref _screenshots);
        var path = Path.Combine(ScreenshotDirectory, string.Create(CultureInfo.InvariantCulture, $"{number:000}-{screen}.png"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    private void RecordPageError(string error)
    {
        lock (_pageErrors)
        {
            _pageErrors.Add(error);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _context.CloseAsync();
        lock (_pageErrors)
        {
            foreach (var error in _pageErrors)
            {
                _log.WriteLine($"page error: {error}");
            }
        }
    }
}
