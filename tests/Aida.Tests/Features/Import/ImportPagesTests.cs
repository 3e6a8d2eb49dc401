using System.Net;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Aida.Features.Customers;
using Aida.Features.Import;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Import;

/// <summary>
/// The import wizard's screens (issue 17 item 1) as a browser without scripts uses them: upload through the form,
/// map the columns (an unrecognised one mapped by hand), preview the rows with their problems, start, follow it to the
/// result, download the report, revert. Every refused form says why and changes nothing; who may see what.
/// </summary>
public sealed class ImportPagesTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    private const string Password = "a long enough password";

    private static byte[] Csv(string text) => Encoding.UTF8.GetBytes(text);

    private static Guid IdOf(Page page)
    {
        var parts = page.Url.Split('?')[0].Split('/', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(parts.Length >= 2 && parts[0] == "imports" && Guid.TryParse(parts[1], out _), $"not an import's page: {page.Url}\n{page.Text("main")}");
        return Guid.Parse(parts[1]);
    }

    /// <summary>The mapping step's select for the column headed <paramref name="header"/>.</summary>
    private static IHtmlSelectElement SelectOf(Page page, string header)
    {
        var row = page.Document.QuerySelectorAll("table.import-mapping tbody tr").SingleOrDefault(r => r.QuerySelector("th")?.TextContent.Trim() == header);
        Assert.True(row is not null, $"no column '{header}' on the mapping step:\n{page.Text("main")}");
        return (IHtmlSelectElement)row!.QuerySelector("select")!;
    }

    private static string Chosen(Page page, string header) => SelectOf(page, header).Options.FirstOrDefault(o => o.IsSelected)?.Value ?? "";

    private static string Count(Page page, string what) => page.Text($"td[data-count='{what}']");

    private static async Task<Page> UntilFinishedAsync(PageBrowser browser, Guid id) =>
        await Wait.ForAsync(() => browser.OpenAsync($"/imports/{id}"), p => p.Document.QuerySelector("table.import-counts") is not null);

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Wizard_UploadMapPreviewStart_ShowsTheResult_TheReport_AndRevertRemovesTheCustomers(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, _) = await app.UserAsync(Role.Rep, password: Password);
        var m = Builders.Unique("");
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);

        // The way in: the navigation and the customer list.
        var customers = await browser.OpenAsync("/customers");
        Assert.NotNull(customers.Document.QuerySelector("nav.primary a[href='/imports']"));
        Assert.Contains(customers.Document.QuerySelectorAll("a[href='/imports']"), a => a.TextContent.Contains("Import customers…", StringComparison.Ordinal));
        var list = await browser.OpenAsync("/imports");
        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.Equal(".csv,.txt,.xlsx,.xls", list.Document.QuerySelector("input[type='file'][name='file']")?.GetAttribute("accept"));

        // 1. Upload: the mapping step, each column with an example value and the field its name suggests.
        var csv = "Company,First Name,Last Name,E-Mail,Kundennr Intern\n"
                  + $"Alpha {m},Anna,Alpha,anna{m}@example.com,K1-{m}\n"
                  + $"Beta {m},Bert,Beta,not-an-email,K2-{m}\n"
                  + $"Gamma {m},Gina,Gamma,gina{m}@example.com,K3-{m}\n";
        var mapping = await browser.SubmitFileAsync(list, "form[action='/imports']", "file", ("people.csv", Csv(csv)), new() { ["sourceName"] = $"crm-{m}" });
        var id = IdOf(mapping);
        Assert.Equal(HttpStatusCode.OK, mapping.Status);
        Assert.StartsWith("people.csv was uploaded with 5 columns", mapping.Flash, StringComparison.Ordinal);
        Assert.Equal("Map the columns", mapping.Text("h1"));
        Assert.Equal("displayName", Chosen(mapping, "Company"));
        Assert.Equal("contact.firstName", Chosen(mapping, "First Name"));
        Assert.Equal("contact.email", Chosen(mapping, "E-Mail"));
        Assert.Equal("", Chosen(mapping, "Kundennr Intern"));
        Assert.Contains($"anna{m}@example.com", mapping.Text("table.import-mapping"), StringComparison.Ordinal);
        var unrecognised = SelectOf(mapping, "Kundennr Intern").Name!;

        // 2. Map the unrecognised column, import the valid rows, save the mapping: the preview of the rows as they will be stored.
        var preview = await browser.SubmitAsync(mapping, $"form[action='/imports/{id}/mapping']",
            new() { [unrecognised] = "externalId", ["validRowsOnly"] = "true", ["onDuplicate"] = "skip", ["saveMapping"] = "true" });
        Assert.Equal($"/imports/{id}/preview", preview.Url);
        Assert.Contains($"crm-{m}", preview.Flash, StringComparison.Ordinal);
        Assert.Equal("1 of these 3 rows has a problem", preview.Text(".import-problems h2"));
        Assert.Contains("Row 3, column “E-Mail”:", preview.Text(".import-problems ul"), StringComparison.Ordinal);
        var bad = preview.Document.QuerySelector("table.import-preview tr[data-row='3']")!;
        Assert.Contains("has-problem", bad.ClassList);
        Assert.Contains("not-an-email", bad.QuerySelector("td.problem")!.TextContent, StringComparison.Ordinal);
        Assert.Contains($"K1-{m}", preview.Text("table.import-preview tr[data-row='2']"), StringComparison.Ordinal);
        Assert.Equal(0, await app.QueryAsync(d => d.Set<Customer>().CountAsync(c => c.DisplayName.Contains(m))));
        Assert.True(await app.QueryAsync(d => d.Set<SavedMapping>().AnyAsync(s => s.SourceName == $"crm-{m}" && s.Mapping.Contains("externalId"))));

        // 3. Start: it runs in the background; the page follows it to the result.
        var started = await browser.SubmitAsync(preview, $"form[action='/imports/{id}/start']");
        Assert.Equal($"/imports/{id}", started.Url);
        Assert.StartsWith("The import has started.", started.Flash, StringComparison.Ordinal);
        var done = await UntilFinishedAsync(browser, id);
        Assert.Equal("Done", done.Text(".page-head .badge"));
        Assert.Equal("2", Count(done, "created"));
        Assert.Equal("0", Count(done, "updated"));
        Assert.Equal("0", Count(done, "skipped"));
        Assert.Equal("1", Count(done, "failed"));
        Assert.Equal(2, await app.QueryAsync(d => d.Set<Customer>().CountAsync(c => c.DisplayName.Contains(m))));

        // The progress box, asked for by htmx once the import is done, sends the page to its result; without htmx it is the page.
        using (var htmx = app.NewHttpClient(allowAutoRedirect: false, cookies: browser.Cookies))
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/imports/{id}/progress");
            request.Headers.Add("HX-Request", "true");
            using var polled = await htmx.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, polled.StatusCode);
            Assert.Equal($"/imports/{id}", polled.Headers.GetValues("HX-Redirect").Single());
        }

        Assert.Equal($"/imports/{id}", (await browser.OpenAsync($"/imports/{id}/progress")).Url);

        // Starting again from the old preview: refused, nothing changes.
        var again = await browser.SubmitAsync(preview, $"form[action='/imports/{id}/start']");
        Assert.StartsWith("Nothing was started:", again.Flash, StringComparison.Ordinal);
        Assert.Equal("2", Count(again, "created"));

        // 4. The report: every row with its outcome and reason.
        var link = done.Document.QuerySelectorAll("a").Single(a => a.TextContent.Trim() == "Download the report (CSV)").GetAttribute("href")!;
        var report = await browser.OpenAsync(link);
        Assert.Equal(HttpStatusCode.OK, report.Status);
        Assert.Equal("text/csv", report.MediaType);
        using (var records = new CsvRecords(new StringReader(report.Html.TrimStart('\uFEFF')), ','))
        {
            Assert.Equal(["Company", "First Name", "Last Name", "E-Mail", "Kundennr Intern", "outcome", "reason"], records.Read()!);
            var rows = new List<string[]>();
            while (records.Read() is { } record)
            {
                rows.Add(record);
            }

            Assert.Equal(["created", "failed", "created"], rows.Select(r => r[5]));
            Assert.Contains("E-Mail", rows[1][6], StringComparison.Ordinal);
        }

        // 5. Revert, after a confirmation: the customers are gone, and the page says what was done.
        var confirm = await browser.OpenAsync(done.Document.QuerySelectorAll("a").Single(a => a.TextContent.Contains("Revert this import", StringComparison.Ordinal)).GetAttribute("href")!);
        Assert.Equal("Revert the import?", confirm.Text("h1"));
        var reverted = await browser.SubmitAsync(confirm, $"form[action='/imports/{id}/revert']");
        Assert.Equal($"/imports/{id}", reverted.Url);
        Assert.StartsWith("The import was reverted: 2 customers removed, 0 fields restored", reverted.Flash, StringComparison.Ordinal);
        Assert.Equal("Reverted", reverted.Text(".page-head .badge"));
        Assert.DoesNotContain(reverted.Document.QuerySelectorAll("a"), a => a.TextContent.Contains("Download the report", StringComparison.Ordinal) || a.TextContent.Contains("Revert this import", StringComparison.Ordinal));
        Assert.Equal(0, await app.QueryAsync(d => d.Set<Customer>().CountAsync(c => c.DisplayName.Contains(m))));
        var twice = await browser.SubmitAsync(confirm, $"form[action='/imports/{id}/revert']");
        Assert.StartsWith("Nothing was reverted:", twice.Flash, StringComparison.Ordinal);

        // The list has it, newest first, with its counts.
        var row = (await browser.OpenAsync("/imports")).Document.QuerySelector("table.imports tbody tr")!;
        Assert.Equal($"/imports/{id}", row.QuerySelector("a")!.GetAttribute("href"));
        Assert.Contains("Reverted", row.TextContent, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task BadInput_EveryFormSaysWhy_AndChangesNothing(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, _) = await app.UserAsync(Role.Rep, password: Password);
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);
        Task<int> ImportsAsync() => app.QueryAsync(d => d.Set<Aida.Features.Import.Import>().CountAsync(i => i.OwnerId == rep.Id));
        var folder = Path.Combine(app.DataDirectory, "imports");
        int Files() => Directory.Exists(folder) ? Directory.GetFiles(folder).Length : 0;
        var files = Files();
        var list = await browser.OpenAsync("/imports");

        // Uploads that are refused: no file, not a table, a header without rows, an overlong source name.
        var none = await browser.SubmitFileAsync(list, "form[action='/imports']", "file", null);
        Assert.Equal("/imports", none.Url);
        Assert.StartsWith("Choose a file to upload", none.Flash, StringComparison.Ordinal);
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0];
        var picture = await browser.SubmitFileAsync(list, "form[action='/imports']", "file", ("logo.png", png));
        Assert.StartsWith("logo.png was not uploaded:", picture.Flash, StringComparison.Ordinal);
        var headerOnly = await browser.SubmitFileAsync(list, "form[action='/imports']", "file", ("empty.csv", Csv("Name,Email\n")));
        Assert.Equal("empty.csv was not uploaded: The file has a header row but no data rows.", headerOnly.Flash);
        var longSource = await browser.SubmitFileAsync(list, "form[action='/imports']", "file", ("a.csv", Csv("Name\nX\n")), new() { ["sourceName"] = new string('s', 201) });
        Assert.Equal("The source name must be at most 200 characters.", longSource.Flash);
        Assert.Equal(0, await ImportsAsync());
        Assert.Equal(files, Files());

        // A good file; then mappings that are refused, each shown on the form with the choices kept, the stored mapping untouched.
        var mapping = await browser.SubmitFileAsync(list, "form[action='/imports']", "file", ("people.csv", Csv("Name,Email,Notes\nBad Input Ltd,bad@example.com,x\n")));
        var id = IdOf(mapping);
        var stored = await app.QueryAsync(d => d.Set<Aida.Features.Import.Import>().Where(i => i.Id == id).Select(i => i.Mapping).SingleAsync());
        var form = $"form[action='/imports/{id}/mapping']";

        var unknown = await browser.SubmitAsync(mapping, form, new() { ["column.2"] = "favouriteColour" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
        Assert.Contains("Column “Notes”: 'favouriteColour' is not a field", unknown.Text(".error-summary"), StringComparison.Ordinal);
        Assert.Equal("favouriteColour", Chosen(unknown, "Notes"));
        Assert.Equal("contact.email", Chosen(unknown, "Email"));

        var twice = await browser.SubmitAsync(mapping, form, new() { ["column.2"] = "displayName" });
        Assert.Equal(HttpStatusCode.BadRequest, twice.Status);
        Assert.Contains("already mapped from the column 'Name'", twice.Text(".error-summary"), StringComparison.Ordinal);

        var nameless = await browser.SubmitAsync(mapping, form, new() { ["column.0"] = "" });
        Assert.Equal(HttpStatusCode.BadRequest, nameless.Status);
        Assert.Contains("Map a column to displayName", nameless.Text(".error-summary"), StringComparison.Ordinal);

        var policy = await browser.SubmitAsync(mapping, form, new() { ["onDuplicate"] = "merge", ["validRowsOnly"] = "perhaps" });
        Assert.Equal(HttpStatusCode.BadRequest, policy.Status);
        Assert.Contains("Choose what to do with a row that matches", policy.Text(".error-summary"), StringComparison.Ordinal);
        Assert.Contains("Choose whether one row with a problem", policy.Text(".error-summary"), StringComparison.Ordinal);
        Assert.Equal(stored, await app.QueryAsync(d => d.Set<Aida.Features.Import.Import>().Where(i => i.Id == id).Select(i => i.Mapping).SingleAsync()));

        // A forged post (no form token) is refused before it reaches the import.
        var forged = await browser.PostAsync($"/imports/{id}/start", []);
        Assert.Equal(HttpStatusCode.BadRequest, forged.Status);
        Assert.Equal(ImportStatus.Uploaded, await app.QueryAsync(d => d.Set<Aida.Features.Import.Import>().Where(i => i.Id == id).Select(i => i.Status).SingleAsync()));

        // Steps out of turn: no report and no revert before it has run; unknown imports are not found.
        var noReport = await browser.OpenAsync($"/imports/{id}/report");
        Assert.Equal($"/imports/{id}", noReport.Url);
        Assert.StartsWith("There is no report to download:", noReport.Flash, StringComparison.Ordinal);
        var noRevert = await browser.OpenAsync($"/imports/{id}/revert");
        Assert.Equal("Only a finished import can be reverted.", noRevert.Flash);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.OpenAsync($"/imports/{Guid.NewGuid()}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.OpenAsync($"/imports/{Guid.NewGuid()}/preview")).Status);

        // Once started, the mapping and the preview are closed: a stale mapping form is refused.
        var preview = await browser.OpenAsync($"/imports/{id}/preview");
        await browser.SubmitAsync(preview, $"form[action='/imports/{id}/start']");
        await UntilFinishedAsync(browser, id);
        var late = await browser.SubmitAsync(mapping, form, new() { ["column.2"] = "" });
        Assert.Equal($"/imports/{id}", late.Url);
        Assert.StartsWith("Nothing was changed: this import has started already", late.Flash, StringComparison.Ordinal);
        Assert.Equal($"/imports/{id}", (await browser.OpenAsync($"/imports/{id}/preview")).Url);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Progress_WhileRunning_ShowsRowsRateAndTimeLeft_RefreshesItself_AndHandsOverToTheResult(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, _) = await app.UserAsync(Role.Rep, password: Password);
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);
        var mapping = await browser.SubmitFileAsync(await browser.OpenAsync("/imports"), "form[action='/imports']", "file", ("big.csv", Csv("Name\nRunning Import Ltd\n")));
        var id = IdOf(mapping);

        // As the worker leaves it between two batches of a long file (the worker only takes queued imports; this one is not).
        var started = DateTime.UtcNow.AddMinutes(-5);
        await app.QueryAsync(d => d.Set<Aida.Features.Import.Import>().Where(i => i.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(i => i.Status, ImportStatus.Running).SetProperty(i => i.StartedAt, started).SetProperty(i => i.HeartbeatAt, DateTime.UtcNow)
            .SetProperty(i => i.RowsRead, 25_000).SetProperty(i => i.CreatedCount, 24_000).SetProperty(i => i.FailedCount, 1_000).SetProperty(i => i.Progress, 0.25)));

        var page = await browser.OpenAsync($"/imports/{id}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("Importing big.csv", page.Text("h1"));
        Assert.Contains("25,000 rows (25% of the file)", page.Text(".import-progress .import-read"), StringComparison.Ordinal);
        // A quarter read in five minutes: about 83 rows per second, and fifteen minutes to go.
        Assert.Contains("83 rows per second", page.Text(".import-progress"), StringComparison.Ordinal);
        Assert.Contains("about 15 minutes", page.Text(".import-progress"), StringComparison.Ordinal);
        var box = page.Document.QuerySelector("#import-progress")!;
        Assert.Equal($"/imports/{id}/progress", box.GetAttribute("hx-get"));
        Assert.StartsWith("every ", box.GetAttribute("hx-trigger"), StringComparison.Ordinal);
        // Without scripts: the page reloads itself, and there is a link to do it by hand.
        Assert.Contains("<noscript><meta http-equiv=\"refresh\" content=\"5\"", page.Html, StringComparison.Ordinal);
        Assert.Contains(page.Document.QuerySelectorAll("main a"), a => a.TextContent.Trim() == "Refresh" && a.GetAttribute("href") == $"/imports/{id}");

        var fragment = await browser.OpenAsync($"/imports/{id}/progress", new Dictionary<string, string> { ["HX-Request"] = "true" });
        Assert.Equal(HttpStatusCode.OK, fragment.Status);
        Assert.DoesNotContain("<html", fragment.Html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("25,000 rows", fragment.Text("#import-progress"), StringComparison.Ordinal);

        // Finished: the page is the result (the box, polled, answers with HX-Redirect to it).
        await app.QueryAsync(d => d.Set<Aida.Features.Import.Import>().Where(i => i.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(i => i.Status, ImportStatus.Failed).SetProperty(i => i.FinishedAt, DateTime.UtcNow).SetProperty(i => i.Error, "The server stopped while this import ran.")));
        var result = await browser.OpenAsync($"/imports/{id}");
        Assert.Equal("Failed", result.Text(".page-head .badge"));
        Assert.Contains("The server stopped while this import ran.", result.Text(".import-error"), StringComparison.Ordinal);
        Assert.Equal("24,000", Count(result, "created"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Upload_LargerThanTheLimit_IsRefused_NeverA500(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db, new Dictionary<string, string?> { ["Import:MaxFileBytes"] = "2000" });
        var (rep, _) = await app.UserAsync(Role.Rep, password: Password);
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);
        var list = await browser.OpenAsync("/imports");
        static byte[] Rows(int count) => Csv("Name\n" + string.Concat(Enumerable.Range(0, count).Select(i => $"Customer number {i:D6}\n")));

        // A little over the limit: the page says so.
        var over = await browser.SubmitFileAsync(list, "form[action='/imports']", "file", ("big.csv", Rows(400)));
        Assert.Equal("/imports", over.Url);
        Assert.Equal("The file is larger than 2,000 bytes, the most this server accepts.", over.Flash);

        // Far over it: refused before it is read, as a page.
        var far = await browser.SubmitFileAsync(list, "form[action='/imports']", "file", ("huge.csv", Rows(10_000)));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, far.Status);
        Assert.Equal("text/html", far.MediaType);

        var within = await browser.SubmitFileAsync(list, "form[action='/imports']", "file", ("small.csv", Rows(10)));
        Assert.Equal("Map the columns", within.Text("h1"));
        Assert.Equal(1, await app.QueryAsync(d => d.Set<Aida.Features.Import.Import>().CountAsync()));
        Assert.Single(Directory.GetFiles(Path.Combine(app.DataDirectory, "imports")));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Permissions_AViewerGets403_AndAnotherUsersImportIsNotFound(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (viewer, _) = await app.UserAsync(Role.Viewer, password: Password);
        using (var browser = await PageBrowser.SignedInAsync(app, viewer, Password))
        {
            var customers = await browser.OpenAsync("/customers");
            Assert.Empty(customers.Document.QuerySelectorAll("a[href='/imports']"));
            Assert.Equal(HttpStatusCode.Forbidden, (await browser.OpenAsync("/imports")).Status);
            Assert.Equal(HttpStatusCode.Forbidden, (await browser.OpenAsync($"/imports/{Guid.NewGuid()}")).Status);
        }

        var (owner, _) = await app.UserAsync(Role.Rep, password: Password);
        var (other, _) = await app.UserAsync(Role.Rep, password: Password);
        using var mine = await PageBrowser.SignedInAsync(app, owner, Password);
        var mapping = await mine.SubmitFileAsync(await mine.OpenAsync("/imports"), "form[action='/imports']", "file", ("mine.csv", Csv("Name\nPrivate Import Ltd\n")));
        var id = IdOf(mapping);

        using var theirs = await PageBrowser.SignedInAsync(app, other, Password);
        var list = await theirs.OpenAsync("/imports");
        Assert.Empty(list.Document.QuerySelectorAll($"a[href='/imports/{id}']"));
        foreach (var url in new[] { $"/imports/{id}", $"/imports/{id}/preview", $"/imports/{id}/report", $"/imports/{id}/revert" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await theirs.OpenAsync(url)).Status);
        }

        // With a valid form token of their own, a post to another's import is not found either, and changes nothing.
        var token = PageBrowser.FormFields((IHtmlFormElement)list.Document.QuerySelector("form[action='/imports']")!).Where(f => f.Key != "sourceName").ToList();
        Assert.Equal(HttpStatusCode.NotFound, (await theirs.PostAsync($"/imports/{id}/start", token)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await theirs.PostAsync($"/imports/{id}/mapping", token)).Status);
        Assert.Equal(ImportStatus.Uploaded, await app.QueryAsync(d => d.Set<Aida.Features.Import.Import>().Where(i => i.Id == id).Select(i => i.Status).SingleAsync()));
    }
}
