using System.Text.RegularExpressions;
using Aida.E2E.Customers;
using Aida.E2E.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Aida.E2E.Leads;

/// <summary>
/// Capture → Connect → Convert in the browser (issue 7): an admin designs a web form and copies its
/// snippet; a visitor submits it on a plain HTML page of another site; the lead shows up scored, is
/// called, converted with a deal, and the deal is dragged across the pipeline board to Closed won.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LeadToWonDealTests(Chromium chromium, ITestOutputHelper output)
{
    [Fact]
    public async Task Lead_FromAPlainHtmlFormToAWonDealOnTheBoard_WorksEndToEnd()
    {
        await using var server = await AidaServer.StartAsync(output);
        await using var browser = await chromium.OpenAsync(server, output);
        var page = browser.Page;
        await page.SignInAsync(server.Admin);
        // The company's own web site, on another origin than Aida's.
        await using var site = new StaticSite();
        var shop = site.Url;

        // 1. The web-form designer: which fields, the site allowed to post, where visitors go after.
        await page.GotoAsync("/settings/forms/new");
        await page.TextField("Name").FillAsync("Contact us");
        await page.GetByLabel("Ask for first name").CheckAsync();
        await page.GetByLabel("Ask for last name").CheckAsync();
        await page.GetByLabel("Ask for email").CheckAsync();
        await page.GetByLabel("Email required").CheckAsync();
        await page.GetByLabel("Ask for company").CheckAsync();
        await page.GetByLabel("Ask for message").CheckAsync();
        await page.GetByLabel("Allowed sites").FillAsync(shop);
        await page.GetByLabel("After submitting, go to").FillAsync($"{shop}/thanks");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create web form" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Web form: Contact us", Level = 1 })).ToBeVisibleAsync();
        var snippet = await page.Locator("#embed-snippet").InnerTextAsync();
        Assert.Contains($"{server.Url}/f/", snippet, StringComparison.Ordinal);
        await browser.ScreenshotAsync(page, "form-designer");

        // 2. A visitor on the shop's own page, which is nothing but the pasted snippet.
        site.Page("/contact", $"<!doctype html><html lang=\"en\"><title>Shop</title><link rel=\"icon\" href=\"data:,\"><body><h1>Contact the shop</h1>\n{snippet}</body></html>");
        site.Page("/thanks", "<!doctype html><html lang=\"en\"><title>Thanks</title><link rel=\"icon\" href=\"data:,\"><h1>Thanks, we will call you</h1></html>");
        await page.GotoAsync($"{shop}/contact?utm_source=newsletter&utm_campaign=winter");
        await page.GetByLabel("First name").FillAsync("Leslie");
        await page.GetByLabel("Last name").FillAsync("Knope");
        await page.GetByLabel("Email").FillAsync("leslie@pawnee.example");
        await page.GetByLabel("Company").FillAsync("Pawnee Parks");
        await page.GetByLabel("Message").FillAsync("Twelve laptops for the parks office.");
        await browser.ScreenshotAsync(page, "shop-form");
        await page.GetByRole(AriaRole.Button).Last.ClickAsync();
        await Expect(page).ToHaveURLAsync($"{shop}/thanks");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Thanks, we will call you" })).ToBeVisibleAsync();

        // 3. The lead in Aida: from the web form, with its campaign, a score and how it was routed.
        await page.GotoAsync("/leads");
        await page.GetByRole(AriaRole.Link, new() { Name = "Leslie Knope", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Leslie Knope", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Source and routing" })).ToContainTextAsync("Contact us");
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Source and routing" })).ToContainTextAsync("winter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("^Score \\d+ of 100$") })).ToBeVisibleAsync();
        await browser.ScreenshotAsync(page, "lead-detail");

        // 4. Convert: a new organisation with Leslie as its contact, and a deal for the laptops.
        await page.GetByRole(AriaRole.Link, new() { Name = "Convert", Exact = true }).ClickAsync();
        await page.GetByLabel("Open a deal").CheckAsync();
        await page.TextField("Deal title").FillAsync("Parks office laptops");
        await page.TextField("Value").FillAsync("14400");
        await page.TextField("Currency").FillAsync("USD");
        await browser.ScreenshotAsync(page, "convert-wizard");
        await page.GetByRole(AriaRole.Button, new() { Name = "Convert", Exact = true }).ClickAsync();
        await Expect(page.Locator(".flash")).ToBeVisibleAsync();

        // 5. The board: the deal in its first stage; drag it to Closed won, give the reason.
        await page.GotoAsync("/deals");
        var card = page.Locator("li.deal-card", new() { HasText = "Parks office laptops" });
        var firstColumn = page.Locator("section.board-column[data-stage-kind='open']").First;
        await Expect(firstColumn.Locator("li.deal-card", new() { HasText = "Parks office laptops" })).ToBeVisibleAsync();
        var won = page.Locator("section.board-column[data-stage-kind='won']");
        await card.DragToAsync(won.Locator("ol.cards"));
        var dialog = page.Locator("#close-dialog");
        await Expect(dialog).ToBeVisibleAsync();
        await dialog.GetByLabel("Reason").FillAsync("Best fit for the parks budget");
        await browser.ScreenshotAsync(page, "close-dialog");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Close deal" }).ClickAsync();
        await Expect(page.Locator("#board-status")).ToContainTextAsync("Moved to Closed won.");

        // It stays there: the move was stored, not only drawn.
        await page.ReloadAsync();
        await Expect(won.Locator("li.deal-card", new() { HasText = "Parks office laptops" })).ToBeVisibleAsync();
        await browser.ScreenshotAsync(page, "board-won");
        await won.GetByRole(AriaRole.Link, new() { Name = "Parks office laptops" }).ClickAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("Best fit for the parks budget");
    }
}
