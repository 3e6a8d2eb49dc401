using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Aida.Features.Customers;
using Aida.Features.Import;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Import;

/// <summary>
/// The import wizard's API (issue 17 item 1): upload with format, encoding and delimiter found from the
/// bytes, mapping suggested from the header names, preview validated with the API's rules and its problems
/// named by row and column, the background run with its counts, the report CSV, revert, the bad files of
/// the issue's "Bad input" each refused or described, and who may import and update what.
/// </summary>
public sealed class ImportsApiTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    static ImportsApiTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] bytes, string fileName = "customers.csv", string? sourceName = null)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        if (sourceName is not null)
        {
            form.Add(new StringContent(sourceName), "sourceName");
        }

        return client.PostAsync("/api/v1/imports", form);
    }

    private static async Task<JsonElement> UploadOkAsync(HttpClient client, string csv, string? sourceName = null) =>
        await (await UploadAsync(client, Encoding.UTF8.GetBytes(csv), sourceName: sourceName)).ExpectAsync(HttpStatusCode.Created);

    private static async Task<JsonElement> RunAsync(HttpClient client, Guid id, object? mapping = null, string onDuplicate = "skip", bool validRowsOnly = true)
    {
        var body = new Dictionary<string, object?> { ["onDuplicate"] = onDuplicate, ["validRowsOnly"] = validRowsOnly };
        if (mapping is not null)
        {
            body["mapping"] = mapping;
        }

        await (await client.SendJsonAsync(HttpMethod.Put, $"/api/v1/imports/{id}/mapping", body, null)).ExpectAsync(HttpStatusCode.OK);
        await (await client.PostAsync($"/api/v1/imports/{id}/start", null)).ExpectAsync(HttpStatusCode.Accepted);
        var done = await Wait.ForAsync(
            async () => await (await client.GetAsync($"/api/v1/imports/{id}")).ExpectAsync(HttpStatusCode.OK),
            body => body.Str("status") is "completed" or "failed");
        Assert.True(done.Str("status") is "completed" or "failed", $"The import did not finish: {done}");
        return done;
    }

    private static long Count(JsonElement import, string what) => import.GetProperty("counts").GetProperty(what).GetInt64();

    private static async Task<List<string[]>> ReportAsync(HttpClient client, Guid id)
    {
        var response = await client.GetAsync($"/api/v1/imports/{id}/report");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        using var records = new CsvRecords(new StringReader(await response.Content.ReadAsStringAsync()), ',');
        var rows = new List<string[]>();
        while (records.Read() is { } record)
        {
            rows.Add(record);
        }

        return rows;
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Upload_RetriedWithTheSameIdempotencyKey_IsTheSameImport_AnotherKeyIsAnotherUpload(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var bytes = Encoding.UTF8.GetBytes("Name,Email\nIdem Retry GmbH,idem@example.com\n");
        async Task<HttpResponseMessage> UploadWithKeyAsync(string key)
        {
            var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            form.Add(file, "file", "retry.csv");
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/imports") { Content = form };
            request.Headers.Add("Idempotency-Key", key);
            return await app.Client.SendAsync(request);
        }

        var key = Guid.NewGuid().ToString();
        var first = await (await UploadWithKeyAsync(key)).ExpectAsync(HttpStatusCode.Created);
        var retry = await UploadWithKeyAsync(key);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.GetProperty("import").Id(), (await retry.ExpectAsync(HttpStatusCode.Created)).GetProperty("import").Id());
        // Another key is another upload.
        Assert.NotEqual(first.GetProperty("import").Id(), (await (await UploadWithKeyAsync(Guid.NewGuid().ToString())).ExpectAsync(HttpStatusCode.Created)).GetProperty("import").Id());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Upload_Windows1252Semicolons_SuggestsMappingAndPreviewsProblemsByRowAndColumn(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var marker = Builders.Unique("Imp");
        var csv = $"Vorname;Nachname;E-Mail;Straße;PLZ;Ort;Land;Notiz\r\n"
                  + $"Jürgen;Weiß{marker};jw{marker}@example.de;Hauptstr. 5;10115;Berlin;DE;x\r\n"
                  + $"Anna;Bad{marker};not-an-email;;;;;y\r\n"
                  + $"=cmd|' /C calc'!A0;Formula{marker};;;;;;z\r\n";
        var upload = await (await UploadAsync(app.Client, Encoding.GetEncoding(1252).GetBytes(csv))).ExpectAsync(HttpStatusCode.Created);

        var import = upload.GetProperty("import");
        Assert.Equal("windows-1252", import.Str("encoding"));
        Assert.Equal(";", import.Str("delimiter"));
        Assert.Equal("suggested", upload.Str("mappingSource"));
        var mapping = import.GetProperty("mapping");
        Assert.Equal("contact.firstName", mapping.Str("Vorname"));
        Assert.Equal("contact.lastName", mapping.Str("Nachname"));
        Assert.Equal("contact.email", mapping.Str("E-Mail"));
        Assert.Equal("address.streetLine1", mapping.Str("Straße"));
        Assert.Equal("address.postalCode", mapping.Str("PLZ"));
        Assert.Equal("address.city", mapping.Str("Ort"));
        Assert.Equal("address.country", mapping.Str("Land"));
        Assert.Equal(JsonValueKind.Null, mapping.GetProperty("Notiz").ValueKind);

        // The preview reads the first rows with the API's own rules: row 3's email is refused, named by row and column.
        var preview = upload.GetProperty("preview");
        var rows = preview.GetProperty("rows").EnumerateArray().ToArray();
        Assert.Equal(3, rows.Length);
        Assert.Equal(2, rows[0].GetProperty("row").GetInt64());
        Assert.Equal("created", rows[0].Str("outcome"));
        Assert.Equal($"Jürgen Weiß{marker}", rows[0].GetProperty("values").Str("displayName"));
        Assert.Equal("individual", rows[0].GetProperty("values").Str("type"));
        Assert.Equal("DE", rows[0].GetProperty("values").Str("address.country"));
        var problem = Assert.Single(preview.GetProperty("problems").EnumerateArray());
        Assert.Equal(3, problem.GetProperty("row").GetInt64());
        Assert.Equal("E-Mail", problem.Str("column"));
        Assert.Equal("contact.email", problem.Str("field"));
        // A formula is text: stored as typed, never evaluated.
        Assert.Equal("=cmd|' /C calc'!A0", rows[2].GetProperty("values").Str("contact.firstName"));

        // The preview endpoint gives the same with a limit; nothing was written.
        var again = await (await app.Client.GetAsync($"/api/v1/imports/{import.Id()}/preview?limit=1")).ExpectAsync(HttpStatusCode.OK);
        Assert.Single(again.GetProperty("rows").EnumerateArray());
        Assert.Equal(0, await app.QueryAsync(d => d.Set<Customer>().IgnoreQueryFilters().CountAsync(c => c.DisplayName.Contains(marker))));
        await (await app.Client.GetAsync($"/api/v1/imports/{import.Id()}/preview?limit=0")).ExpectProblemAsync(HttpStatusCode.BadRequest, "limit");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Run_ValidRowsOnly_CreatesUpdatesSkipsAndFails_ReportsEachRow_AndRevertRestores(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var marker = Builders.Unique("Run");
        var existing = await (await app.Client.PostJsonAsync("/api/v1/customers", new
        {
            type = "organization",
            displayName = $"Old Name {marker}",
            externalId = $"erp-{marker}",
            status = "prospect",
        })).ExpectAsync(HttpStatusCode.Created);
        var csv = "Company,External ID,Status,Email,First Name,Last Name,Parent\n"
                  + $"Acme {marker},acme-{marker},active,,,,\n"
                  + $"New Name {marker},erp-{marker},active,,,,\n"
                  + $"Broken {marker},,active,broken-email,Bo,Ken,\n"
                  + $"Zed {marker},,,zed{marker}@example.org,Zed,Zulu,Acme {marker}\n"
                  + $"Zed {marker},,,zed{marker}@example.org,Zed,Zulu,\n";
        var upload = await UploadOkAsync(app.Client, csv, sourceName: $"crm-{marker}");
        var id = upload.GetProperty("import").Id();

        var done = await RunAsync(app.Client, id, onDuplicate: "update", mapping: new Dictionary<string, string?>
        {
            ["Company"] = "displayName", ["External ID"] = "externalId", ["Status"] = "status", ["Email"] = "contact.email",
            ["First Name"] = "contact.firstName", ["Last Name"] = "contact.lastName", ["Parent"] = "parentName",
        });

        Assert.Equal("completed", done.Str("status"));
        Assert.Equal(5, Count(done, "read"));
        Assert.Equal(2, Count(done, "created"));
        Assert.Equal(1, Count(done, "updated"));
        Assert.Equal(1, Count(done, "skipped"));
        Assert.Equal(1, Count(done, "failed"));
        Assert.True(done.GetProperty("rowsPerSecond").GetDouble() > 0);

        // Stored as the API stores them: the person row is an individual under the organisation of row 2.
        var acme = Assert.Single((await (await app.Client.GetAsync($"/api/v1/customers?q=Acme {marker}")).ExpectAsync(HttpStatusCode.OK)).Items());
        var zed = Assert.Single((await (await app.Client.GetAsync($"/api/v1/customers?q=Zed {marker}")).ExpectAsync(HttpStatusCode.OK)).Items());
        Assert.Equal(acme.Id(), zed.GetProperty("parentId").GetGuid());
        Assert.Equal("active", acme.Str("status"));
        var updated = await (await app.Client.GetAsync($"/api/v1/customers/{existing.Id()}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal($"New Name {marker}", updated.Str("displayName"));
        Assert.Equal("active", updated.Str("status"));

        // The report: the file's columns, then outcome and reason, row by row.
        var report = await ReportAsync(app.Client, id);
        Assert.Equal(["Company", "External ID", "Status", "Email", "First Name", "Last Name", "Parent", "outcome", "reason"], report[0]);
        Assert.Equal(["created", "updated", "failed", "created", "skipped"], report.Skip(1).Select(r => r[7]));
        Assert.Contains("Email", report[3][8], StringComparison.Ordinal);
        Assert.Contains("row 5", report[5][8], StringComparison.Ordinal);

        // Someone renames the updated customer's status afterwards: that later change survives the revert.
        await (await app.Client.PatchJsonAsync($"/api/v1/customers/{existing.Id()}", new { status = "churned" })).ExpectAsync(HttpStatusCode.OK);
        var reverted = await (await app.Client.PostAsync($"/api/v1/imports/{id}/revert", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, reverted.GetProperty("removed").GetInt64());
        Assert.Equal(1, reverted.GetProperty("restored").GetInt64());
        Assert.Equal(1, reverted.GetProperty("keptLaterChanges").GetInt64());
        Assert.Equal("reverted", reverted.GetProperty("import").Str("status"));

        await (await app.Client.GetAsync($"/api/v1/customers/{acme.Id()}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await app.Client.GetAsync($"/api/v1/customers/{zed.Id()}/contacts")).ExpectProblemAsync(HttpStatusCode.NotFound);
        var restored = await (await app.Client.GetAsync($"/api/v1/customers/{existing.Id()}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal($"Old Name {marker}", restored.Str("displayName"));
        Assert.Equal("churned", restored.Str("status"));

        // Once only; the file is gone with it; the audit log has the import's steps.
        await (await app.Client.PostAsync($"/api/v1/imports/{id}/revert", null)).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.False(File.Exists(Path.Combine(app.DataDirectory, "imports", $"{id}.upload")));
        var steps = await app.QueryAsync(d => d.Set<Aida.Platform.Audit.AuditEntry>().IgnoreQueryFilters().CountAsync(a => a.EntityId == id));
        Assert.True(steps >= 4, $"Only {steps} audit entries for the import.");

        // The mapping was not saved (saveMapping not asked): the next file of the source gets suggestions.
        var next = await UploadOkAsync(app.Client, "Company\nX\n", sourceName: $"crm-{marker}");
        Assert.Equal("suggested", next.Str("mappingSource"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Run_AHierarchyThreeLevelsDeepInOneFile_IsCreatedWithEveryParent_AndRevertedWhole(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var marker = Builders.Unique("Tree");
        // Group → Europe (by name) → Berlin (by external id) → Desk (by name), all in one batch, the last two also
        // naming a parent that is itself new in this file.
        var csv = "Company,External ID,Parent,Parent ID\n"
                  + $"Group {marker},g-{marker},,\n"
                  + $"Europe {marker},e-{marker},Group {marker},\n"
                  + $"Berlin {marker},b-{marker},,e-{marker}\n"
                  + $"Desk {marker},d-{marker},Berlin {marker},\n";
        var id = (await UploadOkAsync(app.Client, csv)).GetProperty("import").Id();

        var done = await RunAsync(app.Client, id, validRowsOnly: false, mapping: new Dictionary<string, string?>
        {
            ["Company"] = "displayName", ["External ID"] = "externalId", ["Parent"] = "parentName", ["Parent ID"] = "parentExternalId",
        });

        Assert.Equal("completed", done.Str("status"));
        Assert.Equal(4, Count(done, "created"));
        async Task<JsonElement> ByName(string name) =>
            Assert.Single((await (await app.Client.GetAsync($"/api/v1/customers?q={Uri.EscapeDataString(name)}")).ExpectAsync(HttpStatusCode.OK)).Items());
        var (group, europe, berlin, desk) = (await ByName($"Group {marker}"), await ByName($"Europe {marker}"), await ByName($"Berlin {marker}"), await ByName($"Desk {marker}"));
        Assert.Equal(JsonValueKind.Null, group.GetProperty("parentId").ValueKind);
        Assert.Equal(group.Id(), europe.GetProperty("parentId").GetGuid());
        Assert.Equal(europe.Id(), berlin.GetProperty("parentId").GetGuid());
        Assert.Equal(berlin.Id(), desk.GetProperty("parentId").GetGuid());

        var reverted = await (await app.Client.PostAsync($"/api/v1/imports/{id}/revert", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(4, reverted.GetProperty("removed").GetInt64());
        foreach (var name in new[] { "Group", "Europe", "Berlin", "Desk" })
        {
            Assert.Empty((await (await app.Client.GetAsync($"/api/v1/customers?q={Uri.EscapeDataString($"{name} {marker}")}")).ExpectAsync(HttpStatusCode.OK)).Items());
        }

        // Removed together, each announced once as a DELETE announces it.
        foreach (var customer in new[] { group, europe, berlin, desk })
        {
            var subject = $"customers/{customer.Id()}";
            Assert.Equal(1, await app.QueryAsync(d => d.Set<Aida.Platform.Events.OutboxEvent>().IgnoreQueryFilters().CountAsync(e => e.Type == "customer.deleted" && e.Subject == subject)));
        }
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Run_InSmallBatches_FindsACopyOfAnEarlyRow_AmongTheHoldersOfACommonKeyRememberedFromEarlierBatches(DatabaseKind db)
    {
        // Ten rows a batch: by the fourth, the shared mail domain has its full 20 holders, and they are remembered.
        await using var app = await AidaApp.StartAsync(db, new Dictionary<string, string?> { ["Import:BatchSize"] = "10" });
        var marker = Builders.Unique("Dom");
        var domain = $"{marker.ToLowerInvariant()}.example";
        string[] syllables = ["ka", "lo", "mir", "sen", "dra", "vik"];
        var surnames = Enumerable.Range(0, 30).Select(i => syllables[i % 6] + syllables[i / 6] + "tz").Select(n => char.ToUpperInvariant(n[0]) + n[1..]).ToList();
        var csv = new StringBuilder("First Name,Last Name,Email\n");
        foreach (var surname in surnames)
        {
            csv.Append(CultureInfo.InvariantCulture, $"Ann,{surname},ann.{surname.ToLowerInvariant()}@{domain}\n");
        }

        // Rows 32 and 33: the first row again, in a later batch; and a newcomer at the same domain.
        csv.Append(CultureInfo.InvariantCulture, $"Ann,{surnames[0]},ann.{surnames[0].ToLowerInvariant()}@{domain}\n");
        csv.Append(CultureInfo.InvariantCulture, $"Bea,Quorn,bea.quorn@{domain}\n");
        var id = (await UploadOkAsync(app.Client, csv.ToString())).GetProperty("import").Id();

        var done = await RunAsync(app.Client, id);

        Assert.Equal("completed", done.Str("status"));
        Assert.Equal((31L, 1L), (Count(done, "created"), Count(done, "skipped")));
        var report = await ReportAsync(app.Client, id);
        var first = Assert.Single((await (await app.Client.GetAsync($"/api/v1/customers?q={Uri.EscapeDataString($"Ann {surnames[0]}")}")).ExpectAsync(HttpStatusCode.OK)).Items()).Id();
        Assert.Equal("skipped", report[31][3]);
        Assert.Equal($"Matches existing customer {first}.", report[31][4]);
        Assert.Equal("created", report[32][3]);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Run_ANamesakeOutsideACommonDomainsFirstHolders_IsMatchedInTheSameCity_AndNotElsewhere(DatabaseKind db)
    {
        // The same name at one employer's domain in one city is a duplicate (0.75 ⊕ 0.2 ⊕ 0.15). When the domain has more
        // holders than a lookup reads, only the name key brings the stored namesake, and the import must still read it.
        await using var app = await AidaApp.StartAsync(db, new Dictionary<string, string?> { ["Import:BatchSize"] = "10" });
        var domain = $"{Builders.Unique("Emp").ToLowerInvariant()}.example";
        string[] syllables = ["ka", "lo", "mir", "sen", "dra", "vik"];
        var surnames = Enumerable.Range(0, 30).Select(i => syllables[i % 6] + syllables[i / 6] + "berg").Select(n => char.ToUpperInvariant(n[0]) + n[1..]).ToList();
        var csv = new StringBuilder("First Name,Last Name,Email,Street,City,Postal Code,Country\n");
        foreach (var (surname, i) in surnames.Select((s, i) => (s, i)))
        {
            csv.Append(CultureInfo.InvariantCulture, $"Ann,{surname},ann.{surname.ToLowerInvariant()}@{domain},Hauptstraße {i + 1},Berlin,10115,DE\n");
        }

        // Rows 31 and 32 (the fourth batch): namesakes of rows 23 and 24 (the third), with another mailbox at the domain; one
        // in Berlin on another street, one in Munich.
        csv.Append(CultureInfo.InvariantCulture, $"Ann,{surnames[22]},a.{surnames[22].ToLowerInvariant()}@{domain},Gartenweg 9,Berlin,10117,DE\n");
        csv.Append(CultureInfo.InvariantCulture, $"Ann,{surnames[23]},a.{surnames[23].ToLowerInvariant()}@{domain},Gartenweg 9,München,80331,DE\n");
        var id = (await UploadOkAsync(app.Client, csv.ToString())).GetProperty("import").Id();

        var done = await RunAsync(app.Client, id);

        Assert.Equal("completed", done.Str("status"));
        Assert.Equal((31L, 1L), (Count(done, "created"), Count(done, "skipped")));
        var report = await ReportAsync(app.Client, id);
        var namesake = Assert.Single((await (await app.Client.GetAsync($"/api/v1/customers?q={Uri.EscapeDataString($"Ann {surnames[22]}")}")).ExpectAsync(HttpStatusCode.OK)).Items()).Id();
        Assert.Equal(("skipped", $"Matches existing customer {namesake}."), (report[31][7], report[31][8]));
        Assert.Equal("created", report[32][7]);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Run_TheSameFileAgain_SkipsEveryRow_ItsCandidatesReadThroughTwoConnectionsAtOnce(DatabaseKind db)
    {
        // 2,100 stored customers to read for one batch: enough for the import to read them in two halves at once.
        var app = await fixture.AppFor(db);
        var marker = Builders.Unique("Twice").ToLowerInvariant();
        var csv = new StringBuilder("First Name,Last Name,Email\n");
        for (var i = 0; i < 2_100; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"Ann,Row{i},ann.{i}@{marker}-{i}.example\n");
        }

        var first = await RunAsync(app.Client, (await UploadOkAsync(app.Client, csv.ToString())).GetProperty("import").Id());
        var again = await RunAsync(app.Client, (await UploadOkAsync(app.Client, csv.ToString())).GetProperty("import").Id());

        Assert.Equal((2_100L, 0L), (Count(first, "created"), Count(first, "skipped")));
        Assert.Equal((0L, 2_100L), (Count(again, "created"), Count(again, "skipped")));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Revert_WhileOneRuns_IsAConflict_AndOneThatStopped_IsFinishedWhenAskedAgain(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var marker = Builders.Unique("Lease");
        var id = (await UploadOkAsync(app.Client, $"Company\n{marker} One\n{marker} Two\n{marker} Three\n")).GetProperty("import").Id();
        Assert.Equal(3, Count(await RunAsync(app.Client, id, mapping: new Dictionary<string, string?> { ["Company"] = "displayName" }), "created"));
        Task<int> Heartbeat(DateTime at) => app.QueryAsync(d => d.Set<Aida.Features.Import.Import>().IgnoreQueryFilters().Where(i => i.Id == id)
            .ExecuteUpdateAsync(u => u.SetProperty(i => i.HeartbeatAt, (DateTime?)at)));

        // Another request holds the revert's lease: this one changes nothing.
        await Heartbeat(DateTime.UtcNow);
        await (await app.Client.PostAsync($"/api/v1/imports/{id}/revert", null)).ExpectProblemAsync(HttpStatusCode.Conflict, "status");
        Assert.Equal(3, (await (await app.Client.GetAsync($"/api/v1/customers?q={marker}")).ExpectAsync(HttpStatusCode.OK)).Items().Length);

        // That revert stopped after removing one customer (its server went down) and its lease ran out: asked again,
        // the revert finishes what is left.
        var first = Assert.Single((await (await app.Client.GetAsync($"/api/v1/customers?q={marker} One")).ExpectAsync(HttpStatusCode.OK)).Items());
        await (await app.Client.DeleteAsync($"/api/v1/customers/{first.Id()}")).ExpectAsync(HttpStatusCode.NoContent);
        await Heartbeat(DateTime.UtcNow - RevertImport.Lease - TimeSpan.FromSeconds(5));
        var finished = await (await app.Client.PostAsync($"/api/v1/imports/{id}/revert", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, finished.GetProperty("removed").GetInt64());
        Assert.Equal(1, finished.GetProperty("noLongerYours").GetInt64());
        Assert.Equal("reverted", finished.GetProperty("import").Str("status"));
        Assert.Empty((await (await app.Client.GetAsync($"/api/v1/customers?q={marker}")).ExpectAsync(HttpStatusCode.OK)).Items());
        await (await app.Client.PostAsync($"/api/v1/imports/{id}/revert", null)).ExpectProblemAsync(HttpStatusCode.Conflict, "status");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Run_AllOrNothingWithABadRow_ImportsNothing_AndSavedMappingIsReused(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var marker = Builders.Unique("Aon");
        var csv = $"Kunde|Vorname|Nachname|Mail\nGood {marker}|Gu|Te|good{marker}@example.org\nBad {marker}|Ba|De|nope\n";
        var id = (await UploadOkAsync(app.Client, csv, sourceName: $"legacy-{marker}")).GetProperty("import").Id();
        var mapping = new Dictionary<string, string?> { ["Kunde"] = "displayName", ["Vorname"] = "contact.firstName", ["Nachname"] = "contact.lastName", ["Mail"] = null };
        await (await app.Client.SendJsonAsync(HttpMethod.Put, $"/api/v1/imports/{id}/mapping", new { mapping, saveMapping = true }, null)).ExpectAsync(HttpStatusCode.OK);

        mapping["Mail"] = "contact.email";
        var done = await RunAsync(app.Client, id, mapping: mapping, validRowsOnly: false);

        Assert.Equal("failed", done.Str("status"));
        Assert.Contains("nothing was imported", done.Str("error"), StringComparison.Ordinal);
        Assert.Equal(0, Count(done, "created"));
        Assert.Equal(1, Count(done, "failed"));
        Assert.Equal(0, await app.QueryAsync(d => d.Set<Customer>().CountAsync(c => c.DisplayName.Contains(marker))));
        var report = await ReportAsync(app.Client, id);
        Assert.Equal(["skipped", "failed"], report.Skip(1).Select(r => r[4]));
        Assert.Contains("all or nothing", report[1][5], StringComparison.Ordinal);
        Assert.Contains("Mail", report[2][5], StringComparison.Ordinal);

        // The mapping saved for the source comes back for its next file.
        var next = await UploadOkAsync(app.Client, $"Kunde|Vorname|Nachname|Mail\nOther {marker}|O|T|x@example.org\n", sourceName: $"legacy-{marker}");
        Assert.Equal("saved", next.Str("mappingSource"));
        Assert.Equal(JsonValueKind.Null, next.GetProperty("import").GetProperty("mapping").GetProperty("Mail").ValueKind);
        Assert.Equal("contact.firstName", next.GetProperty("import").GetProperty("mapping").Str("Vorname"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Upload_BadFiles_AreRefusedNamingTheProblem(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);

        async Task Refused(byte[] bytes, string expected, string fileName = "customers.csv")
        {
            var problem = await (await UploadAsync(app.Client, bytes, fileName)).ExpectProblemAsync(HttpStatusCode.BadRequest, "file");
            Assert.Contains(expected, problem.GetProperty("errors").GetProperty("file")[0].GetString(), StringComparison.Ordinal);
        }

        // Binary data claiming to be CSV.
        var binary = new byte[4096];
        new Random(7).NextBytes(binary);
        binary[10] = 0;
        await Refused(binary, "binary");
        await Refused([], "empty");
        await Refused(Encoding.UTF8.GetBytes("Name,Email\n"), "no data rows");
        await Refused(Encoding.UTF8.GetBytes(string.Join(',', Enumerable.Range(1, 600).Select(i => $"c{i}")) + "\nx\n"), "at most 500");
        await Refused(Encoding.UTF8.GetBytes("Name,Email,name\nA,b,c\n"), "Name");
        await Refused(Encoding.UTF8.GetBytes("PK\u0003\u0004garbage that is not a workbook"), "Excel", "customers.xlsx");

        // Not multipart at all.
        await (await app.Client.PostJsonAsync("/api/v1/imports", new { file = "x" })).ExpectProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Preview_BrokenQuotingHugeCellsAndMixedEncodings_AreRowProblemsOrReadRight(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var marker = Builders.Unique("Bad");
        var huge = new string('x', 40_000);
        var lines = new List<byte[]>
        {
            Encoding.UTF8.GetBytes("Name,Street,City,Country\n"),
            Encoding.UTF8.GetBytes($"Good {marker},Weg 1,München,DE\n"),
            Encoding.UTF8.GetBytes($"Quote {marker},Weg 1,Bad\"City,DE\n"),
            Encoding.UTF8.GetBytes($"Huge {marker},Weg 1,{huge},DE\n"),
            // A line saved by a Windows tool into a UTF-8 file: read as Windows-1252.
            Encoding.GetEncoding(1252).GetBytes($"Mixed {marker},Weg 1,Düsseldorf,DE\n"),
            Encoding.UTF8.GetBytes($"\"Quoted, with a comma {marker}\",\"Weg \"\"1\"\"\",\"Zürich\",CH\n"),
        };
        var upload = await (await UploadAsync(app.Client, lines.SelectMany(l => l).ToArray())).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("utf-8", upload.GetProperty("import").Str("encoding"));
        var preview = upload.GetProperty("preview");
        var problems = preview.GetProperty("problems").EnumerateArray().ToArray();

        var quoting = Assert.Single(problems, p => p.GetProperty("row").GetInt64() == 3);
        Assert.Equal("City", quoting.Str("column"));
        Assert.Contains("quot", quoting.Str("message"), StringComparison.OrdinalIgnoreCase);
        var cell = Assert.Single(problems, p => p.GetProperty("row").GetInt64() == 4);
        Assert.Equal("City", cell.Str("column"));
        Assert.Contains("32,768", cell.Str("message"), StringComparison.Ordinal);

        var rows = preview.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("row").GetInt64());
        Assert.Equal("München", rows[2].GetProperty("values").Str("address.city"));
        Assert.Equal("Düsseldorf", rows[5].GetProperty("values").Str("address.city"));
        Assert.Equal("Zürich", rows[6].GetProperty("values").Str("address.city"));
        Assert.Equal("Weg \"1\"", rows[6].GetProperty("values").Str("address.streetLine1"));
        Assert.Equal($"Quoted, with a comma {marker}", rows[6].GetProperty("values").Str("displayName"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Upload_ExcelExportedByAida_ImportsBack(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var marker = Builders.Unique("Xls");
        await app.Client.CreateIndividualAsync($"{marker} Ex", email: $"ex{marker}@example.org");
        var xlsx = await (await app.Client.GetAsync($"/api/v1/exports/customers?format=xlsx&q={marker}")).Content.ReadAsByteArrayAsync();

        var upload = await (await UploadAsync(app.Client, xlsx, "export.xlsx")).ExpectAsync(HttpStatusCode.Created);

        var import = upload.GetProperty("import");
        Assert.Equal("xlsx", import.Str("fileFormat"));
        Assert.Equal("displayName", import.GetProperty("mapping").Str("displayName"));
        var row = Assert.Single(upload.GetProperty("preview").GetProperty("rows").EnumerateArray());
        // The same person again: a likely duplicate of the existing customer, skipped by default.
        Assert.Equal("skipped", row.Str("outcome"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Permissions_ViewersCannotImport_OthersImportsAreNotFound_AndUpdatesSkipWhatIsNotYours(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var marker = Builders.Unique("Perm");
        var (_, viewer) = await app.UserAsync(Role.Viewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await UploadAsync(viewer, Encoding.UTF8.GetBytes("Name\nA\n"))).StatusCode);

        var (rep, repClient) = await app.UserAsync(Role.Rep);
        var (_, otherRep) = await app.UserAsync(Role.Rep);
        // The admin's customer: out of the rep's reach.
        await (await app.Client.PostJsonAsync("/api/v1/customers", new { type = "organization", displayName = $"Theirs {marker}", externalId = $"t-{marker}" })).ExpectAsync(HttpStatusCode.Created);
        var id = (await UploadOkAsync(repClient, $"Name,External Id\nTheirs Renamed {marker},t-{marker}\nMine {marker},m-{marker}\n")).GetProperty("import").Id();

        await (await otherRep.GetAsync($"/api/v1/imports/{id}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await otherRep.PostAsync($"/api/v1/imports/{id}/start", null)).ExpectProblemAsync(HttpStatusCode.NotFound);

        var done = await RunAsync(repClient, id, onDuplicate: "update");
        Assert.Equal(1, Count(done, "created"));
        Assert.Equal(1, Count(done, "skipped"));
        var report = await ReportAsync(repClient, id);
        Assert.Contains("not yours", report[1][3], StringComparison.Ordinal);
        var theirs = await app.QueryAsync(d => d.Set<Customer>().IgnoreQueryFilters().SingleAsync(c => c.ExternalId == $"t-{marker}"));
        Assert.Equal($"Theirs {marker}", theirs.DisplayName);
        var mine = await app.QueryAsync(d => d.Set<Customer>().IgnoreQueryFilters().SingleAsync(c => c.ExternalId == $"m-{marker}"));
        Assert.Equal(rep.Id, mine.OwnerId);

        // Started once only.
        await (await repClient.PostAsync($"/api/v1/imports/{id}/start", null)).ExpectProblemAsync(HttpStatusCode.Conflict);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Worker_ImportInterruptedByARestart_IsMarkedFailedNotLeftRunning(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var id = (await UploadOkAsync(app.Client, "Name\nA\n")).GetProperty("import").Id();
        // As a crash leaves it: running, with a heartbeat from long ago and some rows written.
        await app.QueryAsync(d => d.Set<Aida.Features.Import.Import>().Where(i => i.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(i => i.Status, ImportStatus.Running).SetProperty(i => i.RowsRead, 40_000L).SetProperty(i => i.CreatedCount, 40_000L)
            .SetProperty(i => i.StartedAt, DateTime.UtcNow.AddHours(-1)).SetProperty(i => i.HeartbeatAt, DateTime.UtcNow.AddHours(-1))));

        var failed = await Wait.ForAsync(
            async () => await (await app.Client.GetAsync($"/api/v1/imports/{id}")).ExpectAsync(HttpStatusCode.OK),
            body => body.Str("status") == "failed");

        Assert.Equal("failed", failed.Str("status"));
        Assert.Contains("server stopped", failed.Str("error"), StringComparison.Ordinal);
        Assert.Contains("revert", failed.Str("error"), StringComparison.Ordinal);
    }
}
