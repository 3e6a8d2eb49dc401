using System.Text.RegularExpressions;
using Aida.E2E.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Aida.E2E.Customers;

/// <summary>
/// Issue 17 in the browser: a likely duplicate created through the form is announced and lands in the review queue;
/// a manager merges the pair from the queue through the merge wizard and its preview, then undoes the merge from the
/// survivor's page, and both customers are back.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DuplicateReviewTests(Chromium chromium, ITestOutputHelper output)
{
    [Fact]
    public async Task ALikelyDuplicate_IsAnnounced_QueuedForReview_MergedFromTheQueue_AndTheMergeUndone()
    {
        await using var server = await AidaServer.StartAsync(output);
        await using var browser = await chromium.OpenAsync(server, output);
        var page = browser.Page;
        await page.SignInAsync(server.Admin);
        var first = await page.CreateOrganizationAsync(new NewOrganization("Quokka Freight GmbH"));

        // 1. The same company without its legal form: created, with a notice naming the likely duplicate.
        await page.GotoAsync("/customers/new");
        await page.FillNewOrganizationAsync(new NewOrganization("Quokka Freight"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Create customer", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(CustomerScreens.DetailPageUrl());
        await Expect(page.Flash()).ToContainTextAsync("Quokka Freight was created. It may be a duplicate of Quokka Freight GmbH");
        var second = CustomerScreens.CustomerIdOf(page.Url);
        await browser.ScreenshotAsync(page, "duplicate-created-with-notice");

        // 2. The review queue has the pair, with its score and reasons.
        await page.GoToSectionAsync("Duplicates");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Duplicates", Level = 1 })).ToBeVisibleAsync();
        var cluster = page.Locator("section.duplicate-cluster").Filter(new() { Has = page.Locator($"a[href='/customers/{first}']") });
        await Expect(cluster).ToHaveCountAsync(1);
        await Expect(cluster.Locator($"a[href='/customers/{second}']")).ToBeVisibleAsync();
        await Expect(cluster.Locator(".duplicate-pairs")).ToContainTextAsync("%");
        await browser.ScreenshotAsync(page, "duplicate-queue");

        // 3. Merge from the queue: the wizard opens with both, the preview shows the merged customer, and it is merged.
        await cluster.GetByRole(AriaRole.Link, new() { Name = "Merge both…", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Merge customers", Level = 1 })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview the merge", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "The merged customer", Level = 1 })).ToBeVisibleAsync();
        await browser.ScreenshotAsync(page, "duplicate-merge-preview");
        await page.GetByRole(AriaRole.Button, new() { Name = "Merge", Exact = true }).ClickAsync();
        await Expect(page.Flash()).ToContainTextAsync("Merged 1 customer into this one. You can undo the merge for 30 days.");
        var survivor = CustomerScreens.CustomerIdOf(page.Url);
        Assert.Contains(survivor, new[] { first, second });
        var mergedAway = survivor == first ? second : first;

        // The merged-away customer's page now leads to the survivor, and the pair has left the open queue.
        await page.GotoAsync($"/customers/{mergedAway}");
        await Expect(page).ToHaveURLAsync(new Regex($"/customers/{survivor}$"));
        await page.GotoAsync("/duplicates");
        await Expect(page.Locator("section.duplicate-cluster").Filter(new() { Has = page.Locator($"a[href='/customers/{survivor}']") })).ToHaveCountAsync(0);

        // 4. Undo from the survivor's page: both are back.
        await page.GotoAsync($"/customers/{survivor}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Undo merge", Exact = true }).ClickAsync();
        await Expect(page.Flash()).ToContainTextAsync("The merge was undone: 1 customer is back with their records.");
        await browser.ScreenshotAsync(page, "duplicate-merge-undone");
        await page.GotoAsync($"/customers/{mergedAway}");
        await Expect(page).ToHaveURLAsync(new Regex($"/customers/{mergedAway}$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(mergedAway == first ? "Quokka Freight GmbH" : "Quokka Freight");
    }
}
