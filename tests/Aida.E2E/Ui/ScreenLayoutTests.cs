using System.Text;
using System.Text.RegularExpressions;
using Aida.E2E.Customers;
using Aida.E2E.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Aida.E2E.Ui;

/// <summary>
/// Issue 18's check that keeps the layout fixed: every screen of a lived-in CRM (demo data), at a laptop's
/// 1280 × 800 and a phone's 375 × 800, must not scroll sideways and must not draw one control over another.
/// A wide table may scroll inside its own box; the page itself may not. Every screen is saved as a
/// screenshot at both sizes, for people to review.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class ScreenLayoutTests(Chromium chromium, ITestOutputHelper output)
{
    private static readonly int[] ViewportWidths = [1280, 375];
    private const int ViewportHeight = 800;

    /// <summary>Enough customers for full lists and a populated board, few enough to seed in seconds.</summary>
    private const int DemoCustomers = 60;

    [Fact]
    public async Task EveryScreen_AtDesktopAndPhoneWidth_NeitherScrollsSidewaysNorOverlapsControls()
    {
        await using var server = await AidaServer.StartAsync(output, DemoCustomers);
        await using var browser = await chromium.OpenAsync(server, output);
        var page = browser.Page;
        var problems = new List<string>();

        // Signed out first: the sign-in page is the first screen anyone sees.
        await CheckScreenAsync(browser, new Screen("signin", "/signin"), problems);
        await page.SetViewportSizeAsync(ViewportWidths[0], ViewportHeight);
        await page.SignInAsync(server.Admin);

        var screens = await DiscoverScreensAsync(browser);
        foreach (var screen in screens)
        {
            await CheckScreenAsync(browser, screen, problems);
        }

        output.WriteLine($"{screens.Count + 1} screens checked at {string.Join(" and ", ViewportWidths)} px; screenshots in {browser.ScreenshotDirectory}");
        Assert.True(problems.Count == 0, $"{problems.Count} layout problem(s):\n" + string.Join("\n", problems));
    }

    [Fact]
    public async Task TheScreensIssue18Names_ShowWhatTheyPromise()
    {
        await using var server = await AidaServer.StartAsync(output, DemoCustomers);
        await using var browser = await chromium.OpenAsync(server, output);
        var page = browser.Page;
        await page.SignInAsync(server.Admin);

        // The header is one row from a small laptop up: every part of the bar on the same line.
        foreach (var width in new[] { 1024, 1280 })
        {
            await page.SetViewportSizeAsync(width, ViewportHeight);
            await page.GotoAsync("/customers");
            await browser.ScreenshotAsync(page, $"header-{width}");
            Assert.True(await OnOneRowAsync(page, "header.bar > *"), $"At {width} px the header's parts are not all on one row.");
        }

        // The pipeline board shows all six stages at 1280 px, none cut off at the board's right edge.
        await page.GotoAsync("/deals");
        var board = await page.Locator(".board").BoundingBoxAsync() ?? throw new InvalidOperationException("No board.");
        var columns = await page.Locator(".board-column").AllAsync();
        Assert.Equal(6, columns.Count);
        foreach (var column in columns)
        {
            var box = await column.BoundingBoxAsync() ?? throw new InvalidOperationException("A stage without a box.");
            Assert.True(box.X + box.Width <= board.X + board.Width + 1,
                $"The stage {await column.GetAttributeAsync("data-stage-name")} ends at {box.X + box.Width} px, past the board's edge at {board.X + board.Width} px.");
        }

        await browser.ScreenshotAsync(page, "pipeline");

        // The forecast: its filter on one row, every amount in the tables with its currency and cents.
        await page.GotoAsync("/forecast");
        Assert.True(await OnOneRowAsync(page, "form.filters select, form.filters input, form.filters button"), "The forecast's filter controls are not all on one row.");
        var amounts = await page.Locator("table.figures td:not(:nth-child(2))").AllInnerTextsAsync();
        Assert.NotEmpty(amounts);
        Assert.All(amounts, amount => Assert.Matches(MoneyText(), amount));
        await browser.ScreenshotAsync(page, "forecast");

        // The customer list: the bulk panel is folded until a row is ticked.
        await page.GotoAsync("/customers");
        var action = page.GetByLabel("Action", new() { Exact = true });
        await Expect(action).ToBeHiddenAsync();
        await Expect(page.GetByText("Tick customers in the list to act on them together.")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { NameRegex = new Regex("^Select (?!all)") }).First.CheckAsync();
        await Expect(action).ToBeVisibleAsync();
        await Expect(page.GetByText("Tick customers in the list to act on them together.")).ToBeHiddenAsync();

        // The convert wizard: pickers for "existing" only while "existing" is chosen; the summary follows the ticks and typing.
        var lead = await FirstLinkAsync(page, "/leads?status=active", LeadPath());
        await page.GotoAsync($"{lead}/convert");
        var summary = page.Locator("section.summary");
        var existingCustomer = page.GetByRole(AriaRole.Searchbox, new() { Name = "Existing customer", Exact = true });
        await page.GetByLabel("A new customer").CheckAsync();
        await Expect(existingCustomer).ToBeHiddenAsync();
        await Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "Name of the new customer", Exact = true })).ToBeVisibleAsync();
        await page.GetByLabel("An existing customer").CheckAsync();
        await Expect(existingCustomer).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "Name of the new customer", Exact = true })).ToBeHiddenAsync();
        // Every outcome is in the page, only the ones that apply are shown: so visibility, not text, is what counts.
        await Expect(summary.GetByText("joins the existing customer")).ToBeVisibleAsync();
        await Expect(summary.GetByText(new Regex("^A new .* is created\\.$"))).ToBeHiddenAsync();
        await page.GetByLabel("A new customer").CheckAsync();
        await page.GetByLabel("Open a deal").UncheckAsync();
        await Expect(summary.GetByText("No deal is opened.")).ToBeVisibleAsync();
        await Expect(summary.GetByText(new Regex("^A deal .* is opened\\.$"))).ToBeHiddenAsync();
        await Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "Deal title", Exact = true })).ToBeHiddenAsync();
        await page.GetByLabel("Open a deal").CheckAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Deal title", Exact = true }).FillAsync("Twelve laptops");
        await Expect(summary.GetByText("No deal is opened.")).ToBeHiddenAsync();
        await Expect(summary.GetByText(new Regex("^A deal “Twelve laptops” of [A-Z]{3} .+ is opened\\.$"))).ToBeVisibleAsync();
        await browser.ScreenshotAsync(page, "convert-wizard");

        // The lead page: its touches first, the form that logs one more folded below them.
        await page.GotoAsync(lead);
        var touches = page.Locator("section.touches");
        var logForm = touches.Locator("form.log-touch");
        await Expect(logForm).ToBeHiddenAsync();
        var listFirst = await touches.EvaluateAsync<bool>(
            "s => { const list = s.querySelector('ol.touch-list, p'); const form = s.querySelector('details.log-touch-panel'); return !!list && !!form && (list.compareDocumentPosition(form) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0; }");
        Assert.True(listFirst, "The touches should come before the form that logs one.");
        await touches.GetByText("Log a touch", new() { Exact = true }).ClickAsync();
        await Expect(logForm).ToBeVisibleAsync();

        // The web-form designer: "Ask for …" and "… required" are the boxes' names, not text repeated on every row.
        await page.GotoAsync("/settings/forms/new");
        await Expect(page.GetByLabel("Ask for email", new() { Exact = true })).ToBeVisibleAsync();
        foreach (var name in new[] { "Ask for email", "Email required", "Label for email" })
        {
            // Visually hidden: a 1 px box, still read out, not drawn.
            var box = await page.GetByText(name, new() { Exact = true }).BoundingBoxAsync();
            Assert.True(box is null || box.Width <= 1, $"\"{name}\" is drawn on the row ({box?.Width} px wide), not only named.");
        }
    }

    /// <summary>Whether one horizontal line crosses every visible element matching <paramref name="selector"/>: they share a row.</summary>
    private static Task<bool> OnOneRowAsync(IPage page, string selector) => page.EvaluateAsync<bool>(
        "selector => { const boxes = [...document.querySelectorAll(selector)].filter(e => e.checkVisibility()).map(e => e.getBoundingClientRect()); return boxes.length > 1 && Math.max(...boxes.map(b => b.top)) < Math.min(...boxes.map(b => b.bottom)); }",
        selector);

    [GeneratedRegex(@"^[A-Z]{3} \d{1,3}(,\d{3})*\.\d{2}$")]
    private static partial Regex MoneyText();

    /// <summary>A screen to check: a short name for its screenshots and the address that shows it.</summary>
    private sealed record Screen(string Name, string Path);

    /// <summary>Opens <paramref name="screen"/> once and checks it at each width (resizing lays it out again, as a turned phone does).</summary>
    private static async Task CheckScreenAsync(BrowserSession browser, Screen screen, List<string> problems)
    {
        var page = browser.Page;
        await page.SetViewportSizeAsync(ViewportWidths[0], ViewportHeight);
        var response = await page.GotoAsync(screen.Path);
        if (response is not { Status: 200 })
        {
            problems.Add($"{screen.Name} ({screen.Path}): answered {response?.Status.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "nothing"}, not 200");
            return;
        }

        foreach (var width in ViewportWidths)
        {
            await page.SetViewportSizeAsync(width, ViewportHeight);
            var found = await page.EvaluateAsync<string[]>(LayoutProblemsScript);
            problems.AddRange(found.Select(problem => $"{screen.Name} ({screen.Path}) at {width}×{ViewportHeight}: {problem}"));
            await browser.ScreenshotAsync(page, $"{screen.Name}-{width}");
        }
    }

    /// <summary>
    /// Every GET screen of the web UI, with real records behind the ones that show a record: ids are taken from the
    /// links on list pages, as a person would follow them; a segment and an import are made through their wizards.
    /// </summary>
    private static async Task<List<Screen>> DiscoverScreensAsync(BrowserSession browser)
    {
        var page = browser.Page;
        var screens = new List<Screen>
        {
            new("home", "/"),
            new("customers", "/customers"),
            new("customers-filtered", "/customers?status=active&sort=-updatedAt"),
            new("customer-new", "/customers/new"),
            new("contacts", "/contacts"),
            new("contact-new", "/contacts/new"),
            new("search", "/search?q=a"),
            new("my-activities", "/activities"),
            new("notifications", "/notifications"),
            new("unmatched-mail", "/communications/unmatched"),
            new("leads", "/leads"),
            new("lead-new", "/leads/new"),
            new("web-forms", "/settings/forms"),
            new("web-form-new", "/settings/forms/new"),
            new("lead-scoring", "/settings/lead-scoring"),
            new("lead-routing", "/settings/lead-routing"),
            new("pipeline", "/deals"),
            new("deal-new", "/deals/new"),
            new("forecast", "/forecast"),
            new("lifecycle", "/lifecycle"),
            new("lifecycle-settings", "/settings/lifecycle"),
            new("lifecycle-approvals", "/lifecycle/approvals"),
            new("segments", "/segments"),
            new("segment-new", "/segments/new"),
            new("scoring-rules", "/settings/scoring"),
            new("health", "/health"),
            new("duplicates", "/duplicates"),
            new("imports", "/imports"),
            new("profile", "/account/profile"),
            new("api-tokens", "/account/tokens"),
        };

        // A customer that is an organisation: it has every tab, an account and contacts.
        var customer = await FirstLinkAsync(page, "/customers?type=organization", CustomerPath());
        screens.Add(new("customer", customer));
        await page.GotoAsync(customer);
        foreach (var tab in await page.Locator("nav.tabs a").AllAsync())
        {
            var href = await tab.GetAttributeAsync("href") ?? throw new InvalidOperationException("A customer tab without an address.");
            screens.Add(new($"customer-tab-{Regex.Match(href, "tab=([a-z-]+)").Groups[1].Value}", href));
        }

        screens.AddRange(
        [
            new("customer-edit", $"{customer}/edit"),
            new("customer-delete", $"{customer}/delete"),
            new("customer-hierarchy", $"{customer}/hierarchy"),
            new("customer-account-edit", $"{customer}/account/edit"),
            new("customer-contact-new", $"{customer}/contacts/new"),
            new("customer-address-new", $"{customer}/addresses/new"),
            new("customer-interaction-new", $"{customer}/interactions/new"),
            new("customer-note-new", $"{customer}/notes/new"),
            new("customer-activity-new", $"{customer}/activities/new"),
        ]);
        var interaction = await FirstLinkAsync(page, "/customers?sort=-updatedAt", CustomerPath(), then: ("?tab=timeline", InteractionPath()));
        screens.Add(new("interaction", interaction));
        screens.Add(new("interaction-edit", $"{interaction}/edit"));
        await ScheduleActivityAsync(page, customer);
        screens.Add(new("activity", await FirstLinkAsync(page, "/activities", ActivityPath())));

        var lead = await FirstLinkAsync(page, "/leads?status=active", LeadPath());
        screens.Add(new("lead", lead));
        screens.Add(new("lead-convert", $"{lead}/convert"));
        screens.Add(new("web-form", await FirstLinkAsync(page, "/settings/forms", WebFormPath())));

        var deal = await FirstLinkAsync(page, "/deals", DealPath());
        screens.Add(new("deal", deal));
        screens.Add(new("deal-edit", $"{deal}/edit"));
        screens.Add(new("lifecycle-stage", await FirstLinkAsync(page, "/lifecycle", StagePath())));

        var segment = await CreateSegmentAsync(page);
        screens.Add(new("segment", segment));
        screens.Add(new("segment-edit", $"{segment}/edit"));

        var import = await UploadImportAsync(page);
        screens.Add(new("import-mapping", import));
        screens.Add(new("import-preview", $"{import}/preview"));
        return screens;
    }

    /// <summary>
    /// The address of the first link in the page's main content at <paramref name="listPath"/> whose path matches
    /// <paramref name="pattern"/>; with <paramref name="then"/>, follows each such link (with its suffix added) until
    /// one of their pages has a link matching its pattern, and returns that.
    /// </summary>
    private static async Task<string> FirstLinkAsync(IPage page, string listPath, Regex pattern, (string Suffix, Regex Pattern)? then = null)
    {
        await page.GotoAsync(listPath);
        var links = await LinksAsync(page, pattern);
        if (then is not { } next)
        {
            return links.FirstOrDefault() ?? throw new InvalidOperationException($"No link like {pattern} on {listPath}.");
        }

        foreach (var link in links.Take(10))
        {
            await page.GotoAsync(link + next.Suffix);
            if ((await LinksAsync(page, next.Pattern)).FirstOrDefault() is { } found)
            {
                return found;
            }
        }

        throw new InvalidOperationException($"No link like {next.Pattern} on the first pages linked from {listPath}.");
    }

    private static async Task<List<string>> LinksAsync(IPage page, Regex pattern)
    {
        var paths = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('main a[href]')].map(a => new URL(a.href, location.href)).filter(u => u.origin === location.origin).map(u => u.pathname)");
        return paths.Where(p => pattern.IsMatch(p)).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>An activity for the admin, due tomorrow, so "My activities" lists one (the demo's belong to the reps).</summary>
    private static async Task ScheduleActivityAsync(IPage page, string customer)
    {
        await page.GotoAsync($"{customer}/activities/new");
        await page.TextField("Subject").FillAsync("Send the proposal");
        await page.GetByLabel("Due", new() { Exact = true }).FillAsync(DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd'T'10:00", System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Schedule activity", Exact = true }).ClickAsync();
        await Expect(page.Locator("div.flash")).ToBeVisibleAsync();
    }

    /// <summary>A segment of one condition, made in the builder the way <c>SegmentBuilderTests</c> does; returns its page's address.</summary>
    private static async Task<string> CreateSegmentAsync(IPage page)
    {
        await page.GotoAsync("/segments/new");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Active customers");
        await page.GetByLabel("Field (condition 1)").SelectOptionAsync("customer.name");
        await page.GetByLabel("Operator (condition 1)").SelectOptionAsync("contains");
        await page.GetByLabel("Value (condition 1)").FillAsync("a");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save segment", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Segment: Active customers", Level = 1 })).ToBeVisibleAsync();
        return new Uri(page.Url).AbsolutePath;
    }

    /// <summary>A small CSV uploaded to the import wizard and mapped; returns the import's (mapping) page.</summary>
    private static async Task<string> UploadImportAsync(IPage page)
    {
        await page.GotoAsync("/imports");
        await page.GetByLabel("File", new() { Exact = true }).SetInputFilesAsync(new FilePayload
        {
            Name = "old-crm-export.csv",
            MimeType = "text/csv",
            Buffer = Encoding.UTF8.GetBytes("Company,First Name,Last Name,E-Mail\nWombat Trading,Anna,Wombat,anna@wombat.example\nNumbat Supplies,Bert,Numbat,not-an-email\n"),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Map the columns", Level = 1 })).ToBeVisibleAsync();
        var mapping = new Uri(page.Url).AbsolutePath;
        await page.GetByRole(AriaRole.Button, new() { Name = "Save and preview", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/preview$"));
        return mapping;
    }

    [GeneratedRegex("^/customers/[0-9a-f-]{36}$")]
    private static partial Regex CustomerPath();

    [GeneratedRegex("^/interactions/[0-9a-f-]{36}$")]
    private static partial Regex InteractionPath();

    [GeneratedRegex("^/activities/[0-9a-f-]{36}$")]
    private static partial Regex ActivityPath();

    [GeneratedRegex("^/leads/[0-9a-f-]{36}$")]
    private static partial Regex LeadPath();

    [GeneratedRegex("^/settings/forms/[0-9a-f-]{36}$")]
    private static partial Regex WebFormPath();

    [GeneratedRegex("^/deals/[0-9a-f-]{36}$")]
    private static partial Regex DealPath();

    [GeneratedRegex("^/lifecycle/stages/[0-9a-f-]{36}$")]
    private static partial Regex StagePath();

    /// <summary>
    /// Runs in the page. Two kinds of problem, each named with the elements involved:
    /// the document wider than the viewport (the elements that stick out, outside any box that scrolls or clips
    /// on purpose), and two visible controls whose boxes intersect by more than 2 px each way. A control's box is
    /// first clipped to every ancestor that scrolls or clips, so a table scrolled inside its own box counts only
    /// where it can be seen. A control inside another (a checkbox in its label) is not an overlap.
    /// </summary>
    private const string LayoutProblemsScript = """
        () => {
          const problems = [];
          const viewport = document.documentElement.clientWidth;
          const describe = el => {
            let text = (el.getAttribute('aria-label') || el.innerText || el.value || el.getAttribute('name') || '').trim().replace(/\s+/g, ' ');
            if (text.length > 40) text = text.slice(0, 40) + '…';
            const classes = [...el.classList].map(c => '.' + c).join('');
            return `<${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${classes}>${text ? ' "' + text + '"' : ''}`;
          };
          const clips = el => {
            const style = getComputedStyle(el);
            return style.overflowX !== 'visible' || style.overflowY !== 'visible';
          };
          // The part of a box not cut off by an ancestor that scrolls or clips (a table scrolled inside its own box).
          const clipped = (el, r) => {
            let box = { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
            for (let a = el.parentElement; a && a !== document.body && a !== document.documentElement; a = a.parentElement) {
              if (!clips(a)) continue;
              const c = a.getBoundingClientRect();
              box = { left: Math.max(box.left, c.left), top: Math.max(box.top, c.top), right: Math.min(box.right, c.right), bottom: Math.min(box.bottom, c.bottom) };
            }
            return box;
          };
          // A link that wraps over two lines has a box per line: the rectangle around both would cover its neighbours.
          const visibleBoxes = el => [...el.getClientRects()]
            .map(r => clipped(el, r))
            // Visually hidden (1 px, clipped) or scrolled out of its box: nothing to collide with.
            .filter(box => box.right - box.left > 2 && box.bottom - box.top > 2);

          const scrollWidth = document.documentElement.scrollWidth;
          if (scrollWidth > viewport + 1) {
            const outside = [...document.body.querySelectorAll('*')].filter(el => {
              if (!el.checkVisibility()) return false;
              const r = el.getBoundingClientRect();
              if (r.width === 0 || r.right <= viewport + 1) return false;
              for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) if (clips(a)) return false;
              // Only the outermost: its children stick out because it does.
              const p = el.parentElement;
              return !(p && p !== document.body && p.getBoundingClientRect().right > viewport + 1);
            });
            problems.push(`the page scrolls sideways (${scrollWidth} px wide in ${viewport} px); sticking out: ${outside.slice(0, 6).map(describe).join(', ') || '(nothing found)'}`);
          }

          const controls = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary, label')]
            .filter(el => el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true }))
            .map(el => ({ el, boxes: visibleBoxes(el) }))
            .filter(c => c.boxes.length > 0);
          const overlaps = [];
          for (let i = 0; i < controls.length; i++) {
            for (let j = i + 1; j < controls.length; j++) {
              const a = controls[i], b = controls[j];
              if (a.el.contains(b.el) || b.el.contains(a.el)) continue;
              let worst = null;
              for (const p of a.boxes) for (const q of b.boxes) {
                const w = Math.min(p.right, q.right) - Math.max(p.left, q.left);
                const h = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
                if (w > 2 && h > 2 && (!worst || w * h > worst.w * worst.h)) worst = { w, h };
              }
              if (worst) overlaps.push(`${describe(a.el)} overlaps ${describe(b.el)} (${Math.round(worst.w)}×${Math.round(worst.h)} px)`);
            }
          }
          if (overlaps.length > 0) problems.push(`${overlaps.length} overlapping control pair(s): ${overlaps.slice(0, 8).join('; ')}`);
          return problems;
        }
        """;
}
