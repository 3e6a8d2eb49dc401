using System.Text.RegularExpressions;
using Aida.E2E.Customers;
using Aida.E2E.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Aida.E2E.Segments;

/// <summary>
/// WF-LC-003 in the browser (issue 16): build a dynamic segment in the SegmentBuilder, watch the live preview
/// count (htmx) follow the conditions, save it, open a member from the segment's page and see its stage and health.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SegmentBuilderTests(Chromium chromium, ITestOutputHelper output)
{
    [Fact]
    public async Task Segment_BuiltInTheBuilderWithALivePreview_ListsItsMembers_WhoOpenWithTheirStageAndHealth()
    {
        await using var server = await AidaServer.StartAsync(output);
        await using var browser = await chromium.OpenAsync(server, output);
        var page = browser.Page;
        await page.SignInAsync(server.Admin);
        var alpha = await page.CreateOrganizationAsync(new NewOrganization("Zephyr Alpha"));
        await page.CreateOrganizationAsync(new NewOrganization("Zephyr Beta"));
        await page.CreateOrganizationAsync(new NewOrganization("Quill Gamma"));

        // 1. From the navigation to the builder.
        await page.GoToSectionAsync("Segments");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Segments", Level = 1 })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "New segment", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New segment", Level = 1 })).ToBeVisibleAsync();

        // 2. A condition: the preview counts as it is typed, without a page load.
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Zephyr accounts");
        await page.GetByLabel("Field (condition 1)").SelectOptionAsync("customer.name");
        await page.GetByLabel("Operator (condition 1)").SelectOptionAsync("contains");
        await page.GetByLabel("Value (condition 1)").FillAsync("zephyr");
        var preview = page.Locator("#preview");
        await Expect(preview.Locator("#preview-count")).ToHaveTextAsync("2 customers");
        await Expect(preview).ToContainTextAsync("Zephyr Alpha");
        await page.GetByLabel("Value (condition 1)").FillAsync("quill");
        await Expect(preview.Locator("#preview-count")).ToHaveTextAsync("1 customer");
        await page.GetByLabel("Value (condition 1)").FillAsync("zephyr");
        await Expect(preview.Locator("#preview-count")).ToHaveTextAsync("2 customers");
        await browser.ScreenshotAsync(page, "segment-builder");

        // 3. Save: the segment's page with its members.
        await page.GetByRole(AriaRole.Button, new() { Name = "Save segment", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Segment: Zephyr accounts", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("div.flash")).ToContainTextAsync("2 members");
        await Expect(page.Locator("#member-count")).ToHaveTextAsync("2");
        await Expect(page.Locator("#members tbody tr")).ToHaveCountAsync(2);
        await browser.ScreenshotAsync(page, "segment-detail");

        // 4. A member opens on its customer page; its stage is there.
        await page.Locator("#members").GetByRole(AriaRole.Link, new() { Name = "Zephyr Alpha", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/customers/{alpha}$"));
        await page.Tabs().GetByRole(AriaRole.Link, new() { Name = "Lifecycle", Exact = true }).ClickAsync();
        await Expect(page.Locator("#lifecycle-stage")).ToContainTextAsync(new Regex("^(Prospect|Customer) since"));
        await browser.ScreenshotAsync(page, "segment-member-stage");

        // ... and its health: a new customer is scored at night or when something changes; "Recalculate now" scores it at once.
        await page.Tabs().GetByRole(AriaRole.Link, new() { Name = "Scores", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Recalculate now", Exact = true }).ClickAsync();
        await Expect(page.Locator("div.flash")).ToContainTextAsync("The scores were recalculated.");
        var health = page.Locator("#score-health");
        await Expect(health).ToContainTextAsync("Health");
        await Expect(health.Locator(".badge")).ToHaveTextAsync(new Regex("^[ABCDF]$"));
        await browser.ScreenshotAsync(page, "segment-member-health");

        // 5. The list shows the segment with its count.
        await page.GotoAsync("/segments");
        await Expect(page.Locator("#segments tbody tr", new() { HasText = "Zephyr accounts" })).ToContainTextAsync("2");
    }
}
