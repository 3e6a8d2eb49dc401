using System.Text;
using System.Text.RegularExpressions;
using Aida.E2E.Customers;
using Aida.E2E.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Aida.E2E.Import;

/// <summary>
/// Issue 17's import wizard in the browser: a CSV with a bad email in one row and a column whose name Aida does not
/// recognise is uploaded; the column is mapped by hand; the preview shows the row with the problem; the valid rows
/// are imported in the background while the page follows; the report lists the failed row and why; the import is
/// reverted and its customers are gone.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class ImportWizardTests(Chromium chromium, ITestOutputHelper output)
{
    /// <summary>A background run of three rows takes moments, but the worker polls and CI cores are slow.</summary>
    private static readonly LocatorAssertionsToHaveTextOptions Patiently = new() { Timeout = 60_000 };

    [Fact]
    public async Task ACsvWithProblems_IsMappedPreviewedImported_ItsReportListsTheFailedRow_AndItIsReverted()
    {
        await using var server = await AidaServer.StartAsync(output);
        await using var browser = await chromium.OpenAsync(server, output);
        var page = browser.Page;
        await page.SignInAsync(server.Admin);

        // 1. From the customer list to the import screen; upload the file.
        await page.GotoAsync("/customers");
        await page.GetByRole(AriaRole.Link, new() { Name = "Import customers…", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Import", Level = 1 })).ToBeVisibleAsync();
        var csv = "Company,First Name,Last Name,E-Mail,Kundennr Intern\n"
                  + "Wombat Trading,Anna,Wombat,anna@wombat.example,K-100\n"
                  + "Numbat Supplies,Bert,Numbat,not-an-email,K-200\n"
                  + "Quoll Logistics,Gina,Quoll,gina@quoll.example,K-300\n";
        await page.GetByLabel("File", new() { Exact = true }).SetInputFilesAsync(new FilePayload
        {
            Name = "old-crm-export.csv",
            MimeType = "text/csv",
            Buffer = Encoding.UTF8.GetBytes(csv),
        });
        await page.GetByLabel("Where the file comes from (optional)").FillAsync("Old CRM");
        await browser.ScreenshotAsync(page, "import-upload");
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();

        // 2. The mapping step: the known columns are mapped from their names, the unknown one is not; map it by hand.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Map the columns", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Flash()).ToContainTextAsync("old-crm-export.csv was uploaded with 5 columns");
        var id = Guid.Parse(ImportPageUrl().Match(page.Url).Groups["id"].Value);
        await Expect(page.GetByLabel("E-Mail", new() { Exact = true })).ToHaveValueAsync("contact.email");
        var unknown = page.GetByLabel("Kundennr Intern", new() { Exact = true });
        await Expect(unknown).ToHaveValueAsync("");
        await unknown.SelectOptionAsync(new SelectOptionValue { Label = "External id" });
        await page.GetByLabel("Import the valid rows, and list the others in the report").CheckAsync();
        await browser.ScreenshotAsync(page, "import-mapping");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save and preview", Exact = true }).ClickAsync();

        // 3. The preview: the rows as they will be stored, the bad email marked on its row and column.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Preview", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator(".import-problems h2")).ToHaveTextAsync("1 of these 3 rows has a problem");
        await Expect(page.Locator(".import-problems li")).ToContainTextAsync("Row 3, column “E-Mail”");
        await Expect(page.Locator("tr[data-row='3'] td.problem")).ToContainTextAsync("not-an-email");
        await Expect(page.Locator("tr[data-row='2']")).ToContainTextAsync("K-100");
        await browser.ScreenshotAsync(page, "import-preview");

        // 4. Start: the page follows the background run until it is done.
        await page.GetByRole(AriaRole.Button, new() { Name = "Start import", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/imports/{id}$"));
        await Expect(page.Flash()).ToContainTextAsync("The import has started.");
        await Expect(page.Locator(".page-head .badge")).ToHaveTextAsync("Done", Patiently);
        await Expect(page.Locator("td[data-count='created']")).ToHaveTextAsync("2");
        await Expect(page.Locator("td[data-count='failed']")).ToHaveTextAsync("1");
        await browser.ScreenshotAsync(page, "import-done");

        // The valid rows are customers now.
        await page.GotoAsync("/customers?q=Wombat");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Wombat Trading", Exact = true })).ToBeVisibleAsync();
        await page.GotoAsync($"/imports/{id}");

        // 5. The report: every row with its outcome; the failed one says why.
        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Link, new() { Name = "Download the report (CSV)", Exact = true }).ClickAsync());
        Assert.Equal("old-crm-export-report.csv", download.SuggestedFilename);
        var report = (await File.ReadAllTextAsync((await download.PathAsync())!)).TrimStart('\uFEFF');
        output.WriteLine(report);
        var lines = report.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("Company,First Name,Last Name,E-Mail,Kundennr Intern,outcome,reason", lines[0]);
        var failed = Assert.Single(lines, l => l.Contains(",failed,", StringComparison.Ordinal));
        Assert.StartsWith("Numbat Supplies,Bert,Numbat,not-an-email,K-200,failed,", failed, StringComparison.Ordinal);
        Assert.Contains("E-Mail", failed, StringComparison.Ordinal);
        Assert.Equal(2, lines.Count(l => l.Contains(",created,", StringComparison.Ordinal)));

        // 6. Revert, after confirming: the page says what was done, and the customers are gone.
        await page.GetByRole(AriaRole.Link, new() { Name = "Revert this import…", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Revert the import?", Level = 1 })).ToBeVisibleAsync();
        await browser.ScreenshotAsync(page, "import-revert-confirm");
        await page.GetByRole(AriaRole.Button, new() { Name = "Revert the import", Exact = true }).ClickAsync();
        await Expect(page.Flash()).ToContainTextAsync("The import was reverted: 2 customers removed");
        await Expect(page.Locator(".page-head .badge")).ToHaveTextAsync("Reverted");
        await browser.ScreenshotAsync(page, "import-reverted");
        await page.GotoAsync("/customers?q=Wombat");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Wombat Trading", Exact = true })).ToHaveCountAsync(0);
        await page.GotoAsync("/customers?q=Quoll");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Quoll Logistics", Exact = true })).ToHaveCountAsync(0);

        // The list of imports shows it, reverted.
        await page.GoToSectionAsync("Import");
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { Has = page.Locator($"a[href='/imports/{id}']") })).ToContainTextAsync("Reverted");
        await browser.ScreenshotAsync(page, "import-list");
    }

    [GeneratedRegex(@"/imports/(?<id>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$")]
    private static partial Regex ImportPageUrl();
}
