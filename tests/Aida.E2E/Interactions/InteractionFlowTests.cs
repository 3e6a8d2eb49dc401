using System.Text.RegularExpressions;
using Aida.E2E.Customers;
using Aida.E2E.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Aida.E2E.Interactions;

/// <summary>
/// Interaction tracking in the browser (issue 6): log a call, add a pinned note, schedule a follow-up from
/// the call, complete it from My activities, and find the call again by a word of its notes in global search.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class InteractionFlowTests(Chromium chromium, ITestOutputHelper output)
{
    [Fact]
    public async Task Interactions_LogCallPinNoteFollowUpCompleteAndSearch_WorkEndToEnd()
    {
        await using var server = await AidaServer.StartAsync(output);
        await using var browser = await chromium.OpenAsync(server, output);
        var page = browser.Page;
        await page.SignInAsync(server.Admin);
        var customerId = await page.CreateOrganizationAsync(new NewOrganization("Pawnee Parks") { FirstName = "Leslie", LastName = "Knope", Email = "leslie@pawnee.example" });

        // 1. The timeline tab, then "Log interaction": a call with notes that name when to call back.
        await page.Tabs().GetByRole(AriaRole.Link, new() { Name = "Timeline", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("tab=timeline"));
        await page.GetByRole(AriaRole.Link, new() { Name = "Log interaction", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Log interaction", Level = 1 })).ToBeVisibleAsync();
        await page.GetByLabel("Type", new() { Exact = true }).SelectOptionAsync("call");
        await page.GetByLabel("Contact", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Leslie Knope" });
        await page.GetByLabel("Duration (minutes)").FillAsync("20");
        await page.TextField("Subject").FillAsync("Budget for the gazebo");
        await page.GetByLabel("Notes", new() { Exact = true }).FillAsync("Talked through the zeppelin festival budget. Call back next week.");
        await page.GetByLabel("Outcome", new() { Exact = true }).SelectOptionAsync("follow_up_needed");
        await browser.ScreenshotAsync(page, "interaction-form");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log interaction", Exact = true }).ClickAsync();
        await Expect(page.Flash()).ToContainTextAsync("The interaction was logged.");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Budget for the gazebo", Level = 1 })).ToBeVisibleAsync();
        var callUrl = page.Url;

        // 2. A pinned note: it leads the timeline, its Markdown rendered.
        await page.GotoAsync($"/customers/{customerId}?tab=timeline");
        await page.GetByRole(AriaRole.Link, new() { Name = "Add note", Exact = true }).ClickAsync();
        await page.TextField("Title").FillAsync("Decision maker");
        await page.GetByLabel("Note", new() { Exact = true }).FillAsync("Leslie decides; **Ron** signs the cheques.");
        await page.GetByLabel("Pin to the top of the timeline").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add note", Exact = true }).ClickAsync();
        await Expect(page.Flash()).ToContainTextAsync("The note was added.");
        var pinned = page.GetByRole(AriaRole.Region, new() { Name = "Pinned" });
        await Expect(pinned).ToContainTextAsync("Decision maker");
        await Expect(pinned.Locator("strong", new() { HasText = "Ron" })).ToBeVisibleAsync();
        await Expect(page.Locator("li.entry-interaction")).ToContainTextAsync("Budget for the gazebo");
        await browser.ScreenshotAsync(page, "timeline");

        // 3. "Schedule follow-up" from the call: pre-filled, due next Monday because the notes say "next week".
        await page.GotoAsync(callUrl);
        await page.GetByRole(AriaRole.Link, new() { Name = "Schedule follow-up", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Schedule follow-up", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Note)).ToContainTextAsync("next week");
        await Expect(page.TextField("Subject")).ToHaveValueAsync("Follow up: Budget for the gazebo");
        var due = await page.GetByLabel("Due", new() { Exact = true }).InputValueAsync();
        Assert.Equal(DayOfWeek.Monday, DateTime.Parse(due, System.Globalization.CultureInfo.InvariantCulture).DayOfWeek);
        // Due now-ish instead, so it shows as overdue in My activities.
        await page.GetByLabel("Due", new() { Exact = true }).FillAsync(DateTime.UtcNow.AddHours(-1).ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture));
        await browser.ScreenshotAsync(page, "follow-up-form");
        await page.GetByRole(AriaRole.Button, new() { Name = "Schedule follow-up", Exact = true }).ClickAsync();
        await Expect(page.Flash()).ToContainTextAsync("is scheduled for");

        // 4. My activities: overdue and highlighted; complete it there, and its result joins the timeline.
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "My activities" }).ClickAsync();
        var overdue = page.GetByRole(AriaRole.Region, new() { Name = "Overdue" });
        await Expect(overdue.Locator("li.overdue")).ToContainTextAsync("Follow up: Budget for the gazebo");
        await browser.ScreenshotAsync(page, "my-activities");
        await overdue.GetByRole(AriaRole.Button, new() { Name = "Complete: Follow up: Budget for the gazebo" }).ClickAsync();
        await Expect(page.Flash()).ToContainTextAsync("Its result is logged");
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Overdue" })).ToContainTextAsync("Nothing overdue.");
        await page.GotoAsync($"/customers/{customerId}?tab=timeline");
        await Expect(page.Locator("li.entry-activity")).ToContainTextAsync("Follow up: Budget for the gazebo");

        // 5. Global search by a word of the call's notes: a suggestion while typing, then the results page.
        var search = page.GetByRole(AriaRole.Search).GetByRole(AriaRole.Searchbox).First;
        await search.FillAsync("zeppel");
        await Expect(page.Locator("#search-suggestions")).ToContainTextAsync("Budget for the gazebo");
        await search.PressAsync("Enter");
        var interactions = page.GetByRole(AriaRole.Region, new() { Name = "Interactions" });
        await Expect(interactions.Locator("mark").First).ToHaveTextAsync("zeppelin");
        await browser.ScreenshotAsync(page, "search-results");
        // The completed follow-up carries the same notes, so it is found too.
        await Expect(interactions.GetByRole(AriaRole.Link)).ToHaveCountAsync(2);
        await interactions.GetByRole(AriaRole.Link, new() { Name = "Budget for the gazebo", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(callUrl);
    }
}
