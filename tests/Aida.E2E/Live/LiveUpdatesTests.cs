using System.Globalization;
using Aida.E2E.Infrastructure;
using Aida.Platform.Auth;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Aida.E2E.Live;

/// <summary>
/// Issue 19.3, live updates in the web UI: with two people signed in, one moves a deal on the board and the
/// other's board shows the card in its new column without a page load; a call logged on a customer appears on
/// the other's open timeline; a reminder coming due raises the header's notification count on the open page. Each page notes a marker in its window first:
/// a reload would lose it.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LiveUpdatesTests(Chromium chromium, ITestOutputHelper output)
{
    /// <summary>Reminders are looked for every 30 s (ReminderOptions), so the badge may take that long.</summary>
    private static readonly LocatorAssertionsToBeVisibleOptions Patient = new() { Timeout = 60_000 };

    [Fact]
    public async Task Board_Timeline_AndNotificationCount_FollowAnotherUsersChangesWithoutReload()
    {
        var watcher = AidaUser.Unique("Vera Viewer", Role.Viewer);
        await using var server = await AidaServer.StartAsync(output, demoCustomers: 12, watcher);
        await using var mover = await chromium.OpenAsync(server, output);
        await using var watching = await chromium.OpenAsync(server, output);
        await mover.Page.SignInAsync(server.Admin);
        await watching.Page.SignInAsync(watcher);

        // The viewer watches the board (read-only for her); a deal in the first column is the one to move.
        var board = watching.Page;
        await board.GotoAsync("/deals");
        var firstColumn = board.Locator(".board-column").First;
        var card = firstColumn.Locator(".deal-card").First;
        await Expect(card).ToBeVisibleAsync();
        var dealId = await card.GetAttributeAsync("data-deal-id");
        var title = await card.Locator(".deal-title").InnerTextAsync();
        var target = board.Locator(".board-column").Nth(1);
        var targetStage = await target.GetAttributeAsync("data-stage-id");
        var targetName = await target.GetAttributeAsync("data-stage-name");
        await NoteNoReloadAsync(board);
        await watching.ScreenshotAsync(board, "board-before");

        // The administrator moves it with the card's own "Move to…" form.
        var page = mover.Page;
        await page.GotoAsync("/deals");
        var moving = page.Locator($".deal-card[data-deal-id='{dealId}']");
        await moving.Locator("summary", new() { HasText = "Move to…" }).ClickAsync();
        await moving.GetByLabel("Stage").SelectOptionAsync(targetStage!);
        await moving.GetByRole(AriaRole.Button, new() { Name = "Move", Exact = true }).ClickAsync();
        await Expect(page.Locator(".flash")).ToContainTextAsync(targetName!);

        // The viewer's board follows by itself: the card in its new column, gone from the old one.
        await Expect(board.Locator($".board-column[data-stage-id='{targetStage}'] .deal-card[data-deal-id='{dealId}']")).ToBeVisibleAsync(Patient);
        await Expect(firstColumn.Locator($".deal-card[data-deal-id='{dealId}']")).ToHaveCountAsync(0);
        await Expect(board.Locator($".board-column[data-stage-id='{targetStage}']")).ToContainTextAsync(title);
        await AssertNotReloadedAsync(board);
        await watching.ScreenshotAsync(board, "board-after");

        // The administrator's board stays open (no badge yet) while, in another tab, they schedule an activity whose
        // reminder is already due: when the reminder job turns it into a notification, the open page's badge rises.
        await page.GotoAsync("/deals");
        await Expect(page.Locator(".notifications-link .badge")).ToHaveCountAsync(0);
        await NoteNoReloadAsync(page);
        var tab = await page.Context.NewPageAsync();
        await tab.GotoAsync("/customers");
        await tab.Locator("main table a[href^='/customers/']").First.ClickAsync();
        await Expect(tab).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/customers/[0-9a-f-]{36}"));
        var customerId = new Uri(tab.Url).AbsolutePath.Split('/')[2];

        // The viewer has the customer's timeline open; the administrator logs a call there: it appears on top.
        await board.GotoAsync($"/customers/{customerId}?tab=timeline");
        var newest = board.Locator("#timeline-days li[id^='entry-']").First;
        var before = await newest.CountAsync() > 0 ? await newest.GetAttributeAsync("id") : null;
        await NoteNoReloadAsync(board);
        await tab.GotoAsync($"/customers/{customerId}?tab=timeline");
        await tab.GetByRole(AriaRole.Button, new() { Name = "Call completed", Exact = true }).ClickAsync();
        await Expect(tab.Locator(".flash")).ToBeVisibleAsync();
        await Expect(newest).ToBeVisibleAsync(Patient);
        if (before is not null)
        {
            await Expect(newest).Not.ToHaveAttributeAsync("id", before, new() { Timeout = 60_000 });
        }

        await Expect(newest).ToContainTextAsync(server.Admin.Name);
        await AssertNotReloadedAsync(board);
        await watching.ScreenshotAsync(board, "timeline-after");

        await tab.GotoAsync($"/customers/{customerId}/activities/new");
        await tab.GetByLabel("Subject", new() { Exact = true }).FillAsync("Call about the renewal");
        await tab.GetByLabel("Due", new() { Exact = true }).FillAsync(DateTime.UtcNow.AddHours(2).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture));
        await tab.GetByLabel("Reminder", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "1 day before" });
        await tab.GetByRole(AriaRole.Button, new() { Name = "Schedule activity", Exact = true }).ClickAsync();
        await Expect(tab.Locator(".flash")).ToBeVisibleAsync();

        await Expect(page.Locator(".notifications-link .badge", new() { HasText = "1" })).ToBeVisibleAsync(Patient);
        await AssertNotReloadedAsync(page);
        await mover.ScreenshotAsync(page, "badge-raised");
    }

    private static Task NoteNoReloadAsync(IPage page) => page.EvaluateAsync("() => { window.__aidaNotReloaded = true; }");

    private static async Task AssertNotReloadedAsync(IPage page) =>
        Assert.True(await page.EvaluateAsync<bool>("() => window.__aidaNotReloaded === true"), "The page was reloaded; it should have updated in place.");
}
