using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Aida.Features.Customers.Contacts;
using Aida.Features.Import;
using Aida.Features.Interactions;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Import;

/// <summary>
/// The import wizard's other entity types (issue 17 item 1): contacts of existing customers and a history of
/// interactions, through the real API — upload with a suggested mapping, preview problems by row and column,
/// the run's counts, the report, revert — with the customer found by external id or exact name (missing,
/// ambiguous, not the importer's), dates in several formats (ambiguous, invalid), leads (<see cref="LeadImportsApiTests"/>), and
/// an entity type not built refused.
/// </summary>
public sealed class EntityImportsApiTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    private static async Task<JsonElement> UploadAsync(HttpClient client, string csv, string entityType, HttpStatusCode expected = HttpStatusCode.Created)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", $"{entityType}.csv");
        form.Add(new StringContent(entityType), "entityType");
        var response = await client.PostAsync("/api/v1/imports", form);
        return expected == HttpStatusCode.Created ? await response.ExpectAsync(expected) : await response.ExpectProblemAsync(expected);
    }

    private static async Task<JsonElement> RunAsync(HttpClient client, Guid id, string onDuplicate = "skip", bool validRowsOnly = true)
    {
        await (await client.SendJsonAsync(HttpMethod.Put, $"/api/v1/imports/{id}/mapping", new { onDuplicate, validRowsOnly }, null)).ExpectAsync(HttpStatusCode.OK);
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
        using var records = new CsvRecords(new StringReader(await response.Content.ReadAsStringAsync()), ',');
        var rows = new List<string[]>();
        while (records.Read() is { } record)
        {
            rows.Add(record);
        }

        return rows;
    }

    private static string Mapped(JsonElement upload, string header) =>
        upload.GetProperty("import").GetProperty("mapping").GetProperty(header).GetString() ?? "";

    private static void HasProblem(JsonElement upload, long row, string column, string contains)
    {
        var problems = upload.GetProperty("preview").GetProperty("problems").EnumerateArray().ToList();
        Assert.True(
            problems.Any(p => p.GetProperty("row").GetInt64() == row && p.GetProperty("column").GetString() == column && p.Str("message").Contains(contains, StringComparison.Ordinal)),
            $"no problem of row {row}, column {column} with '{contains}': {string.Join(" | ", problems)}");
    }

    /// <summary>A rep's customers (one with a contact, two of the same name) and one of the admin's, out of the rep's reach.</summary>
    private static async Task<(HttpClient Rep, Guid Mine, Guid Contact)> SetUpAsync(AidaApp app, string m)
    {
        var (_, rep) = await app.UserAsync(Role.Rep);
        await (await app.Client.PostJsonAsync("/api/v1/customers", new { type = "organization", displayName = $"Theirs {m}", externalId = $"t-{m}" })).ExpectAsync(HttpStatusCode.Created);
        var mine = (await (await rep.PostJsonAsync("/api/v1/customers", new { type = "organization", displayName = $"Mine {m}", externalId = $"m-{m}" })).ExpectAsync(HttpStatusCode.Created)).Id();
        await (await rep.PostJsonAsync("/api/v1/customers", new { type = "organization", displayName = $"Twin {m}" })).ExpectAsync(HttpStatusCode.Created);
        await (await rep.PostJsonAsync("/api/v1/customers?allowDuplicate=true", new { type = "organization", displayName = $"Twin {m}" })).ExpectAsync(HttpStatusCode.Created);
        var contact = (await (await rep.PostJsonAsync($"/api/v1/customers/{mine}/contacts",
            new { firstName = "Dora", lastName = "Before", email = $"dora-{m}@example.com", jobTitle = "Buyer" })).ExpectAsync(HttpStatusCode.Created)).Id();
        return (rep, mine, contact);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Contacts_FoundByExternalIdOrName_ProblemsByRowAndColumn_UpdateByEmail_ReportAndRevert(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var m = Builders.Unique("C");
        var (rep, mine, dora) = await SetUpAsync(app, m);

        var csv = "Customer Number,Company,First Name,Last Name,Email,Job Title\n"
                  + $"m-{m},,Ann,Smith,ann-{m}@example.com,CEO\n"
                  + $",Mine {m},Dora,After,DORA-{m}@example.com,\n"
                  + $"t-{m},,Eve,Other,eve-{m}@example.com,\n"
                  + $",Twin {m},Tim,Twin,,\n"
                  + $",Nobody {m},No,Body,,\n"
                  + $"m-{m},,Bad,Email,not-an-email,\n";
        var upload = await UploadAsync(rep, csv, "contacts");
        var id = upload.GetProperty("import").Id();
        Assert.Equal("contacts", upload.GetProperty("import").Str("entityType"));
        Assert.Equal("customer.externalId", Mapped(upload, "Customer Number"));
        Assert.Equal("customer.name", Mapped(upload, "Company"));
        Assert.Equal("firstName", Mapped(upload, "First Name"));
        Assert.Equal("email", Mapped(upload, "Email"));
        Assert.Equal("jobTitle", Mapped(upload, "Job Title"));
        Assert.Contains(upload.GetProperty("fields").EnumerateArray(), f => f.Str("name") == "customer.name");

        HasProblem(upload, 4, "Customer Number", "not yours");
        HasProblem(upload, 5, "Company", "2 customers have this name");
        HasProblem(upload, 6, "Company", "No customer has exactly this name");
        HasProblem(upload, 7, "Email", "");
        var previewRows = upload.GetProperty("preview").GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal("created", previewRows[0].Str("outcome"));
        Assert.Equal($"ann-{m}@example.com", previewRows[0].GetProperty("values").Str("email"));
        Assert.Equal(0, await app.QueryAsync(d => d.Set<Contact>().CountAsync(c => c.CustomerId == mine && c.FirstName == "Ann")));

        // A mapping without the customer is refused, naming the mapping.
        var bad = await rep.SendJsonAsync(HttpMethod.Put, $"/api/v1/imports/{id}/mapping", new { mapping = new Dictionary<string, string?> { ["First Name"] = "firstName", ["Last Name"] = "lastName" } }, null);
        Assert.Contains("customer", (await bad.ExpectProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("mapping")[0].GetString(), StringComparison.Ordinal);

        var done = await RunAsync(rep, id, onDuplicate: "update");
        Assert.Equal("completed", done.Str("status"));
        Assert.Equal(1, Count(done, "created"));
        Assert.Equal(1, Count(done, "updated"));
        Assert.Equal(4, Count(done, "failed"));

        var ann = await app.QueryAsync(d => d.Set<Contact>().IgnoreQueryFilters().SingleAsync(c => c.CustomerId == mine && c.FirstName == "Ann"));
        Assert.False(ann.IsPrimary); // Dora is the primary already
        Assert.Equal("CEO", ann.JobTitle);
        var updated = await app.QueryAsync(d => d.Set<Contact>().IgnoreQueryFilters().SingleAsync(c => c.Id == dora));
        Assert.Equal("After", updated.LastName);
        Assert.Equal("Buyer", updated.JobTitle); // a blank cell keeps the stored value
        Assert.Equal(0, await app.QueryAsync(d => d.Set<Contact>().IgnoreQueryFilters().CountAsync(c => c.FirstName == "Eve" && c.LastName == "Other")));

        var report = await ReportAsync(rep, id);
        Assert.Equal(["Customer Number", "Company", "First Name", "Last Name", "Email", "Job Title", "outcome", "reason"], report[0]);
        Assert.Equal("created", report[1][6]);
        Assert.Equal("updated", report[2][6]);
        Assert.Equal("failed", report[3][6]);
        Assert.Contains("not yours", report[3][7], StringComparison.Ordinal);

        var reverted = await (await rep.PostAsync($"/api/v1/imports/{id}/revert", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, reverted.GetProperty("removed").GetInt64());
        Assert.Equal(1, reverted.GetProperty("restored").GetInt64());
        Assert.NotNull((await app.QueryAsync(d => d.Set<Contact>().IgnoreQueryFilters().SingleAsync(c => c.Id == ann.Id))).DeletedAt);
        Assert.Equal("Before", (await app.QueryAsync(d => d.Set<Contact>().IgnoreQueryFilters().SingleAsync(c => c.Id == dora))).LastName);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Interactions_DatesInSeveralFormats_AmbiguousAndBadDates_RepeatsSkipped_ReportAndRevert(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var m = Builders.Unique("I");
        var (rep, mine, dora) = await SetUpAsync(app, m);

        var csv = "Customer,Type,Date,Subject,Notes,Direction,Contact Email\n"
                  + $"Mine {m},call,2024-03-15 10:30,Intro call,Talked about prices,inbound,dora-{m}@example.com\n"
                  + $"Mine {m},meeting,15.03.2024,Kickoff,,,\n"
                  + $"Mine {m},email,03/04/2024,Ambiguous,,,\n"
                  + $"Mine {m},call,2024-13-45,Bad date,,,\n"
                  + $"Mine {m},call,2024-03-15T10:30:00Z,Intro call,,,\n"
                  + $"Theirs {m},call,2024-03-16,Theirs,,,\n"
                  + $"Mine {m},email,3/25/2024,US date,,,\n"
                  + $"Twin {m},fax,2024-03-16,Fax,,,\n";
        var upload = await UploadAsync(rep, csv, "interactions");
        var id = upload.GetProperty("import").Id();
        Assert.Equal("customer.name", Mapped(upload, "Customer"));
        Assert.Equal("interactionType", Mapped(upload, "Type"));
        Assert.Equal("occurredAt", Mapped(upload, "Date"));
        Assert.Equal("description", Mapped(upload, "Notes"));
        Assert.Equal("contact.email", Mapped(upload, "Contact Email"));

        HasProblem(upload, 4, "Date", "ambiguous");
        HasProblem(upload, 5, "Date", "Is not a date");
        HasProblem(upload, 7, "Customer", "not yours");
        HasProblem(upload, 9, "Type", "Must be one of");
        var rows = upload.GetProperty("preview").GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal("2024-03-15T10:30:00Z", rows[0].GetProperty("values").Str("occurredAt"));
        Assert.Equal("skipped", rows[4].Str("outcome"));
        Assert.Contains("row 2", rows[4].Str("reason"), StringComparison.Ordinal);

        // All or nothing: the bad rows stop the import; nothing is written.
        var refused = await RunAsync(rep, id, validRowsOnly: false);
        Assert.Equal("failed", refused.Str("status"));
        Assert.Equal(0, await app.QueryAsync(d => d.Set<Interaction>().IgnoreQueryFilters().CountAsync(i => i.CustomerId == mine)));

        var second = (await UploadAsync(rep, csv, "interactions")).GetProperty("import").Id();
        var done = await RunAsync(rep, second);
        Assert.Equal(3, Count(done, "created"));
        Assert.Equal(1, Count(done, "skipped"));
        Assert.Equal(4, Count(done, "failed"));
        var stored = await app.QueryAsync(d => d.Set<Interaction>().IgnoreQueryFilters().Where(i => i.CustomerId == mine).OrderBy(i => i.OccurredAt).ToListAsync());
        Assert.Equal(3, stored.Count);
        Assert.Equal(new DateTime(2024, 3, 15, 0, 0, 0, DateTimeKind.Utc), stored[0].OccurredAt);
        Assert.Equal(InteractionType.Meeting, stored[0].InteractionType);
        Assert.Equal(Direction.Outbound, stored[0].Direction);
        Assert.Equal(dora, stored[1].ContactId);
        Assert.Equal(Direction.Inbound, stored[1].Direction);
        Assert.Equal("Talked about prices", stored[1].Description);
        Assert.Equal(new DateTime(2024, 3, 25, 0, 0, 0, DateTimeKind.Utc), stored[2].OccurredAt);

        // The same file again: every valid row is a repeat now.
        var third = (await UploadAsync(rep, csv, "interactions")).GetProperty("import").Id();
        var again = await RunAsync(rep, third);
        Assert.Equal(0, Count(again, "created"));
        Assert.Equal(4, Count(again, "skipped"));

        var report = await ReportAsync(rep, second);
        Assert.Equal("created", report[1][7]);
        Assert.Equal("failed", report[3][7]);
        Assert.Contains("ambiguous", report[3][8], StringComparison.Ordinal);

        var reverted = await (await rep.PostAsync($"/api/v1/imports/{second}/revert", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(3, reverted.GetProperty("removed").GetInt64());
        Assert.Equal(0, await app.QueryAsync(d => d.Set<Interaction>().CountAsync(i => i.CustomerId == mine)));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Upload_AnEntityTypeNotBuilt_IsRefusedNamingEntityType(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var problem = await UploadAsync(app.Client, "Name,Email\nA,a@example.com\n", "deals", HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("entityType", out _), problem.ToString());
    }
}
