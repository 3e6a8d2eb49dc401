using System.Globalization;
using System.Net;
using System.Text.Json;
using Aida.Platform.Audit;
using Aida.Platform.Auth;
using Aida.Tests.Features.Deals;
using Aida.Tests.Features.Leads;
using Aida.Tests.Infrastructure;
using ExcelDataReader;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Exports;

/// <summary>
/// Exports (issue 17 item 2): every format read back by an independent parser (CsvHelper, ExcelDataReader,
/// System.Text.Json), the list's filters honoured, only the exporter's reach, analytics.exportData required,
/// formula-looking text neutralised in CSV and Excel but kept in JSON, one audit entry per export, a bad
/// format or filter a 400 naming the field, and the list pages' Export control shown only to those who may use it.
/// </summary>
public sealed class ExportsApiTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    private const string Password = "a long enough password";

    // ExcelDataReader's configuration asks for code page 1252 (for .xls) even when it reads .xlsx.
    static ExportsApiTests() => System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Customers_EachFormat_ParsesBackWithTheListsFiltersAndFormulasNeutralised(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var marker = Builders.Unique("Exp");
        var plain = (await app.Client.CreateIndividualAsync($"{marker} Plain", email: $"{marker}@example.com")).Id();
        var formula = (await app.Client.CreateIndividualAsync($"{marker} =HYPERLINK(1)")).Id();
        var organisation = (await app.Client.CreateOrganizationAsync($"{marker} Org")).Id();
        var markup = (await app.Client.CreateIndividualAsync($"{marker} Müller & Söhne <Bau> \"Nord\"")).Id();

        foreach (var format in new[] { "csv", "xlsx", "json" })
        {
            var response = await app.Client.GetAsync($"/api/v1/exports/customers?format={format}&q={marker}&type=individual");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(format, Path.GetExtension(response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"'))?.TrimStart('.'));
            var rows = await ReadAsync(response, format);

            // Only the individuals matching the search; the organisation is filtered out.
            Assert.Equal(new HashSet<Guid> { plain, formula, markup }, rows.Select(r => Guid.Parse(r["id"]!)).ToHashSet());
            Assert.DoesNotContain(rows, r => Guid.Parse(r["id"]!) == organisation);
            var plainRow = rows.Single(r => Guid.Parse(r["id"]!) == plain);
            Assert.Equal($"{marker}@example.com", plainRow["primaryContactEmail"]);
            Assert.Equal("individual", plainRow["type"]);

            // Only a cell that starts like a formula is one; this one is left alone.
            var displayName = rows.Single(r => Guid.Parse(r["id"]!) == formula)["displayName"];
            Assert.Equal($"{marker} =HYPERLINK(1)", displayName);

            // Characters with a meaning in markup or in CSV come back as typed.
            Assert.Equal($"{marker} Müller & Söhne <Bau> \"Nord\"", rows.Single(r => Guid.Parse(r["id"]!) == markup)["displayName"]);
        }

        var startsWithFormula = (await app.Client.CreateIndividualAsync($"=cmd|' /C calc'!A0 {marker}")).Id();
        // A name a spreadsheet would run is prefixed in CSV and Excel; JSON is data and keeps it as typed.
        foreach (var format in new[] { "csv", "xlsx", "json" })
        {
            var rows = await ReadAsync(await app.Client.GetAsync($"/api/v1/exports/customers?format={format}&type=individual"), format);
            var name = rows.Single(r => Guid.Parse(r["id"]!) == startsWithFormula)["displayName"];
            Assert.Equal(format == "json" ? $"=cmd|' /C calc'!A0 {marker}" : $"'=cmd|' /C calc'!A0 {marker}", name);
        }
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Customers_Xlsx_TimesAreSpreadsheetDates_NotText(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var marker = Builders.Unique("Dates");
        var customer = await app.Client.CreateIndividualAsync($"{marker} Person");
        var createdAt = customer.GetProperty("createdAt").GetDateTime().ToUniversalTime();

        var response = await app.Client.GetAsync($"/api/v1/exports/customers?format=xlsx&q={marker}");
        using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        using var reader = ExcelReaderFactory.CreateOpenXmlReader(stream);
        Assert.True(reader.Read());
        var column = Enumerable.Range(0, reader.FieldCount).Single(i => reader.GetValue(i)?.ToString() == "createdAt");
        Assert.True(reader.Read());

        // A date a spreadsheet sorts and calculates with, shown as yyyy-mm-dd hh:mm:ss, the same instant (UTC) as the API's.
        var cell = Assert.IsType<DateTime>(reader.GetValue(column));
        Assert.InRange((cell - createdAt).Duration(), TimeSpan.Zero, TimeSpan.FromMilliseconds(1));
        Assert.Equal("yyyy-mm-dd hh:mm:ss", reader.GetNumberFormatString(column));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Customers_ManagerExportsOnlyTheirReach_RepWithoutPermissionIsForbidden(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var marker = Builders.Unique("Reach");
        var (manager, managerClient) = await app.UserAsync(Role.Manager);
        var team = await app.TeamAsync(manager.Id);
        var (_, repClient) = await app.UserAsync(Role.Rep, team.Id);
        var (_, otherClient) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id);
        var mine = (await repClient.CreateIndividualAsync($"{marker} Mine")).Id();
        var theirs = (await otherClient.CreateIndividualAsync($"{marker} Theirs")).Id();

        var asManager = await ReadAsync(await managerClient.GetAsync($"/api/v1/exports/customers?format=json&q={marker}"), "json");
        Assert.Equal(new[] { mine }, asManager.Select(r => Guid.Parse(r["id"]!)));
        var asAdmin = await ReadAsync(await app.Client.GetAsync($"/api/v1/exports/customers?format=json&q={marker}"), "json");
        Assert.Equal(new HashSet<Guid> { mine, theirs }, asAdmin.Select(r => Guid.Parse(r["id"]!)).ToHashSet());

        // A rep has no analytics.exportData: 403 for every export.
        foreach (var entity in new[] { "customers", "contacts", "leads", "deals", "interactions" })
        {
            await (await repClient.GetAsync($"/api/v1/exports/{entity}")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        }
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Export_BadFormatOrFilter_Is400NamingTheField_AndNothingIsAudited(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (user, client) = await app.UserAsync(Role.Marketing);

        await (await client.GetAsync("/api/v1/exports/customers?format=pdf")).ExpectProblemAsync(HttpStatusCode.BadRequest, "format");
        await (await client.GetAsync("/api/v1/exports/customers?status=sleeping")).ExpectProblemAsync(HttpStatusCode.BadRequest, "status");
        await (await client.GetAsync("/api/v1/exports/leads?minScore=400")).ExpectProblemAsync(HttpStatusCode.BadRequest, "minScore");
        await (await client.GetAsync("/api/v1/exports/deals?closeFrom=yesterday")).ExpectProblemAsync(HttpStatusCode.BadRequest, "closeFrom");
        await (await client.GetAsync("/api/v1/exports/interactions?type=telepathy")).ExpectProblemAsync(HttpStatusCode.BadRequest, "type");
        await (await client.GetAsync("/api/v1/exports/contacts?format=xls")).ExpectProblemAsync(HttpStatusCode.BadRequest, "format");

        Assert.Equal(0, await app.QueryAsync(d => d.Set<AuditEntry>().IgnoreQueryFilters().CountAsync(a => a.ActorId == user.Id)));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Export_WritesOneAuditEntry_WithWhoWhatFormatFiltersAndRowCount(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var marker = Builders.Unique("Aud");
        var (user, client) = await app.UserAsync(Role.Marketing);
        await app.Client.CreateIndividualAsync($"{marker} One");
        await app.Client.CreateIndividualAsync($"{marker} Two");

        var rows = await ReadAsync(await client.GetAsync($"/api/v1/exports/customers?format=xlsx&q={marker}&status=prospect"), "xlsx");
        Assert.Equal(2, rows.Count);

        var entries = await app.QueryAsync(d => d.Set<AuditEntry>().IgnoreQueryFilters().Where(a => a.ActorId == user.Id).ToListAsync());
        var entry = Assert.Single(entries);
        Assert.Equal("export", entry.EntityType);
        using var changes = JsonDocument.Parse(entry.Changes);
        Assert.Equal("customers", changes.RootElement.GetProperty("entity").GetString());
        Assert.Equal("xlsx", changes.RootElement.GetProperty("format").GetString());
        Assert.Equal(2, changes.RootElement.GetProperty("rows").GetInt64());
        Assert.True(changes.RootElement.GetProperty("completed").GetBoolean());
        Assert.Equal(marker, changes.RootElement.GetProperty("filters").GetProperty("q").GetString());
        Assert.Equal("prospect", changes.RootElement.GetProperty("filters").GetProperty("status").GetString());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ContactsLeadsDealsAndInteractions_ExportWithTheirFilters(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var marker = Builders.Unique("Set");
        var customer = (await app.Client.CreateIndividualAsync($"{marker} Customer", email: $"{marker}.c@example.com")).Id();
        var other = (await app.Client.CreateIndividualAsync($"{marker} Other")).Id();
        await app.Client.CreateContactAsync(customer, new { firstName = "Second", lastName = "-Contact" });
        var (deal, _) = await app.Client.CreateDealAsync(customer, $"{marker} Deal", value: 1234.5m);
        await app.Client.CreateDealAsync(other, $"{marker} Elsewhere");
        var call = await (await app.Client.PostJsonAsync("/api/v1/interactions",
            new { customerId = customer, interactionType = "call", direction = "outbound", subject = "@SUM(A1)" })).ExpectAsync(HttpStatusCode.Created);
        await (await app.Client.PostJsonAsync("/api/v1/interactions",
            new { customerId = customer, interactionType = "email", direction = "inbound", subject = "Mail" })).ExpectAsync(HttpStatusCode.Created);
        var lead = await app.Client.CreateLeadAsync(new { firstName = marker, lastName = "Lead", email = $"{marker}@lead.example" });

        var contacts = await ReadAsync(await app.Client.GetAsync($"/api/v1/exports/contacts?format=csv&customerId={customer}"), "csv");
        Assert.Equal(2, contacts.Count);
        Assert.Contains(contacts, c => c["lastName"] == "'-Contact");

        var deals = await ReadAsync(await app.Client.GetAsync($"/api/v1/exports/deals?format=xlsx&customerId={customer}"), "xlsx");
        var dealRow = Assert.Single(deals);
        Assert.Equal(deal.Id(), Guid.Parse(dealRow["id"]!));
        Assert.Equal(1234.5m, decimal.Parse(dealRow["value"]!, CultureInfo.InvariantCulture));

        var calls = await ReadAsync(await app.Client.GetAsync($"/api/v1/exports/interactions?format=csv&customerId={customer}&type=call"), "csv");
        var callRow = Assert.Single(calls);
        Assert.Equal(call.Id(), Guid.Parse(callRow["id"]!));
        Assert.Equal("'@SUM(A1)", callRow["subject"]);

        var leads = await ReadAsync(await app.Client.GetAsync($"/api/v1/exports/leads?format=json&q={marker}"), "json");
        var leadRow = Assert.Single(leads);
        Assert.Equal(lead.Id(), Guid.Parse(leadRow["id"]!));
        Assert.Equal($"{marker}@lead.example", leadRow["email"]);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ListPages_ShowTheExportControl_OnlyToThoseWhoMayExport(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (manager, _) = await app.UserAsync(Role.Manager, password: Password);
        var (rep, _) = await app.UserAsync(Role.Rep, password: Password);
        using var managerBrowser = await PageBrowser.SignedInAsync(app, manager, Password);
        using var repBrowser = await PageBrowser.SignedInAsync(app, rep, Password);

        foreach (var (list, export) in new[] { ("/customers?status=active&owner=me", "/exports/customers"), ("/leads?status=active", "/exports/leads"), ("/deals", "/exports/deals"), ("/contacts", "/exports/contacts") })
        {
            var page = await managerBrowser.OpenAsync(list);
            Assert.Equal(HttpStatusCode.OK, page.Status);
            var form = page.Document.QuerySelector($"form.export-control[action='{export}']");
            Assert.NotNull(form);
            Assert.NotNull(form.QuerySelector("select[name=format] option[value=xlsx]"));

            var repPage = await repBrowser.OpenAsync(list);
            Assert.Equal(HttpStatusCode.OK, repPage.Status);
            Assert.Null(repPage.Document.QuerySelector("form.export-control"));
        }

        // The customer list's control carries its filters ("me" as the user's id), and its download honours them.
        var customers = await managerBrowser.OpenAsync("/customers?status=active&owner=me");
        var fields = PageBrowser.FormFields((AngleSharp.Html.Dom.IHtmlFormElement)customers.Document.QuerySelector("form.export-control")!);
        Assert.Contains(new KeyValuePair<string, string>("status", "active"), fields);
        Assert.Contains(new KeyValuePair<string, string>("ownerId", manager.Id.ToString()), fields);
        var download = await managerBrowser.OpenAsync("/exports/customers?format=csv&status=active&ownerId=" + manager.Id);
        Assert.Equal(HttpStatusCode.OK, download.Status);
        Assert.Equal("text/csv", download.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, (await repBrowser.OpenAsync("/exports/customers?format=csv")).Status);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task SegmentExport_OffersTheSameFormats(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var marker = Builders.Unique("Seg");
        var member = (await app.Client.CreateIndividualAsync($"+{marker}")).Id();
        var segment = await (await app.Client.PostJsonAsync("/api/v1/segments", new { name = marker, type = "static" })).ExpectAsync(HttpStatusCode.Created);
        await (await app.Client.PostJsonAsync($"/api/v1/segments/{segment.Id()}/members", new { customerIds = new[] { member } })).ExpectAsync(HttpStatusCode.OK);

        foreach (var format in new[] { "csv", "xlsx", "json" })
        {
            var row = Assert.Single(await ReadAsync(await app.Client.GetAsync($"/api/v1/segments/{segment.Id()}/export?format={format}"), format));
            Assert.Equal(member, Guid.Parse(row["customer_id"]!));
            Assert.Equal(format == "json" ? $"+{marker}" : $"'+{marker}", row["display_name"]);
        }

        await (await app.Client.GetAsync($"/api/v1/segments/{segment.Id()}/export?format=docx")).ExpectProblemAsync(HttpStatusCode.BadRequest, "format");
    }

    /// <summary>The rows of an export, each a header → text map, read with a parser independent of the writer.</summary>
    private static async Task<List<Dictionary<string, string?>>> ReadAsync(HttpResponseMessage response, string format)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var rows = new List<Dictionary<string, string?>>();
        switch (format)
        {
            case "csv":
            {
                Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
                using var csv = global::CsvHelper.CsvReader.Create(bytes, null);
                using var data = new global::CsvHelper.CsvDataReader(csv, false);
                while (data.Read())
                {
                    rows.Add(Enumerable.Range(0, data.FieldCount).ToDictionary(
                        data.GetName, i => data.IsDBNull(i) || data.GetString(i).Length == 0 ? null : data.GetString(i)));
                }

                break;
            }

            case "xlsx":
            {
                Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
                using var stream = new MemoryStream(bytes);
                using var reader = ExcelReaderFactory.CreateOpenXmlReader(stream);
                Assert.True(reader.Read());
                var header = Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i)?.ToString() ?? "").ToArray();
                while (reader.Read())
                {
                    rows.Add(header.Select((h, i) => (h, reader.GetValue(i))).ToDictionary(
                        x => x.h, x => x.Item2 is null ? null : Convert.ToString(x.Item2, CultureInfo.InvariantCulture)));
                }

                break;
            }

            default:
            {
                Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
                using var json = JsonDocument.Parse(bytes);
                foreach (var item in json.RootElement.EnumerateArray())
                {
                    rows.Add(item.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind switch
                    {
                        JsonValueKind.Null => null,
                        JsonValueKind.String => p.Value.GetString(),
                        _ => p.Value.GetRawText(),
                    }));
                }

                break;
            }
        }

        return rows;
    }
}
