using System.Runtime.CompilerServices;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Aida.E2E.Infrastructure;

/// <summary>
/// One headless Debian Chromium for the whole test run (launching it is the slow part); each test gets a
/// fresh context of its own, so no cookie or storage crosses from one test to the next.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    /// <summary>Debian's package, not a browser build of Playwright's own: nothing is downloaded, ever.</summary>
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>For every action and every <c>Expect</c>: CI runs this on two slow cores next to another test project.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan LaunchTimeout = TimeSpan.FromMinutes(1);

    // The network here is closed: without these Chromium stalls on connections it tries to make by itself
    // (QUIC, component updates, sync). Running as root needs --no-sandbox; there is no GPU.
    // Debian's wrapper script means to add --disable-dev-shm-usage when /dev/shm is small, but its check
    // breaks when findmnt prints more than one line, so it is always given here.
    private static readonly string[] Arguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout((float)Timeout.TotalMilliseconds);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = Arguments,
            Timeout = (float)LaunchTimeout.TotalMilliseconds,
        });
    }

    /// <summary>
    /// A fresh browser context on <paramref name="server"/> (relative URLs go to it) with one page open.
    /// The calling test's file and method name the folder its screenshots go to.
    /// </summary>
    public async Task<BrowserSession> OpenAsync(
        AidaServer server, ITestOutputHelper log, [CallerFilePath] string testFile = "", [CallerMemberName] string testMethod = "")
    {
        var browser = _browser ?? throw new InvalidOperationException("Chromium was not launched.");
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.Url,
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            Locale = "en-US",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout((float)Timeout.TotalMilliseconds);
        context.SetDefaultNavigationTimeout((float)(2 * Timeout).TotalMilliseconds);
        return await BrowserSession.OpenAsync(context, $"{Path.GetFileNameWithoutExtension(testFile)}.{testMethod}", log);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>The tests that drive Chromium: they share one browser and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<Chromium>
{
    public const string Name = "Browser";
}
