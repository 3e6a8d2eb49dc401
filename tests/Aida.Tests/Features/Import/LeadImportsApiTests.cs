using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Aida.Features.Leads;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Import;

/// <summary>
/// Leads through the import wizard (issue 17 item 1), through the real API: upload with a suggested mapping,
/// preview problems by row and column (a bad email, neither email nor phone, an unknown source, an open lead
/// that is not the importer's), the run's counts, the new leads assigned to the importer, an existing open
/// lead skipped, a repeat within the file skipped, update of mapped non-blank fields, the report, and revert.
/// </summary>
public sealed class LeadImportsApiTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    private static async Task<JsonElement> UploadAsync(HttpClient client, string csv)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", "leads.csv");
        form.Add(new StringContent("leads"), "entityType");
        return await (await client.PostAsync("/api/v1/imports", form)).ExpectAsync(HttpStatusCode.Created);
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

    private static string Mapped(JsonElement upload, string header) =>
        upload.GetProperty("import").GetProperty("mapping").GetProperty(header).GetString() ?? "";

    private static void HasProblem(JsonElement upload, long row, string column, string contains)
    {
        var problems = upload.GetProperty("preview").GetProperty("problems").EnumerateArray().ToList();
        Assert.True(
            problems.Any(p => p.GetProperty("row").GetInt64() == row && p.GetProperty("column").GetString() == column && p.Str("message").Contains(contains, StringComparison.Ordinal)),
            $"no problem of row {row}, column {column} with '{contains}': {string.Join(" | ", problems)}");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Leads_ValidatedAsTheApi_AssignedToTheImporter_OpenLeadSkipped_NotYours_ReportUpdateAndRevert(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var m = Builders.Unique("L").ToLowerInvariant();
        var (repUser, rep) = await app.UserAsync(Role.Rep);
        var (other, _) = await app.UserAsync(Role.Rep);
        var mine = (await (await app.Client.PostJsonAsync("/api/v1/leads", new { firstName = "Old", email = $"mine-{m}@example.com", jobTitle = "Buyer", assignedTo = repUser.Id }))
            .ExpectAsync(HttpStatusCode.Created)).Id();
        await (await app.Client.PostJsonAsync("/api/v1/leads", new { email = $"theirs-{m}@example.com", assignedTo = other.Id })).ExpectAsync(HttpStatusCode.Created);

        var csv = "First Name,Last Name,Email,Phone,Company,Title,Source\n"
                  + $"Ann,New,ann-{m}@example.com,,Acme {m},CEO,referral\n"
                  + "Bad,Email,not-an-email,,,,\n"
                  + "No,Contact,,,,,\n"
                  + $"Dup,Mine,MINE-{m}@example.com,,,Director,\n"
                  + $"Eve,Theirs,theirs-{m}@example.com,,,,\n"
                  + $"Ann,Again,ann-{m}@example.com,,,,\n"
                  + "Phil,Fax,,+44 20 7946 0000,,,fax\n"
                  + $"Pat,Phone {m},,+44 20 7946 0001,,,\n";
        var upload = await UploadAsync(rep, csv);
        var id = upload.GetProperty("import").Id();
        Assert.Equal("leads", upload.GetProperty("import").Str("entityType"));
        Assert.Equal("firstName", Mapped(upload, "First Name"));
        Assert.Equal("email", Mapped(upload, "Email"));
        Assert.Equal("phone", Mapped(upload, "Phone"));
        Assert.Equal("company", Mapped(upload, "Company"));
        Assert.Equal("jobTitle", Mapped(upload, "Title"));
        Assert.Equal("source", Mapped(upload, "Source"));

        HasProblem(upload, 3, "Email", "");
        HasProblem(upload, 4, "Email", "An email address or a phone number is required");
        HasProblem(upload, 6, "Email", "not yours");
        HasProblem(upload, 8, "Source", "Must be one of");
        var previewRows = upload.GetProperty("preview").GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal("created", previewRows[0].Str("outcome"));
        Assert.Equal("referral", previewRows[0].GetProperty("values").Str("source"));
        Assert.Equal("skipped", previewRows[3].Str("outcome"));
        Assert.Equal("skipped", previewRows[5].Str("outcome"));
        Assert.Contains("row 2", previewRows[5].Str("reason"), StringComparison.Ordinal);
        Assert.Equal(0, await app.QueryAsync(d => LeadAccess.All(d).CountAsync(l => l.EmailNormalized == $"ann-{m}@example.com")));

        // A mapping with neither email nor phone is refused, naming the mapping.
        var bad = await rep.SendJsonAsync(HttpMethod.Put, $"/api/v1/imports/{id}/mapping", new { mapping = new Dictionary<string, string?> { ["First Name"] = "firstName", ["Last Name"] = "lastName" } }, null);
        Assert.Contains("email or phone", (await bad.ExpectProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("mapping")[0].GetString(), StringComparison.Ordinal);

        var done = await RunAsync(rep, id);
        Assert.Equal("completed", done.Str("status"));
        Assert.Equal(2, Count(done, "created"));
        Assert.Equal(2, Count(done, "skipped"));
        Assert.Equal(4, Count(done, "failed"));

        var ann = await app.QueryAsync(d => LeadAccess.All(d).SingleAsync(l => l.EmailNormalized == $"ann-{m}@example.com"));
        Assert.Equal(repUser.Id, ann.AssignedTo);
        Assert.Equal(repUser.Id, ann.CreatedBy);
        Assert.Equal(LeadStatus.Active, ann.Status);
        Assert.Equal(QualificationStatus.Unqualified, ann.QualificationStatus);
        Assert.Equal(LeadSourceType.Referral, ann.SourceType);
        Assert.Equal("Import: leads.csv", ann.SourceDetail);
        Assert.Equal(("Ann", "New", $"Acme {m}", "CEO"), (ann.FirstName, ann.LastName, ann.Company, ann.JobTitle));
        var pat = await app.QueryAsync(d => LeadAccess.All(d).SingleAsync(l => l.LastName == $"Phone {m}"));
        Assert.Equal(LeadSourceType.Api, pat.SourceType);
        Assert.NotNull(pat.PhoneKey);
        Assert.Equal("Buyer", (await app.QueryAsync(d => LeadAccess.All(d).SingleAsync(l => l.Id == mine))).JobTitle); // skipped, untouched
        Assert.Equal(HttpStatusCode.OK, (await rep.GetAsync($"/api/v1/leads/{ann.Id}")).StatusCode); // the importer sees what they imported
        Assert.Equal(1, await app.QueryAsync(d => d.Set<Aida.Platform.Events.OutboxEvent>().IgnoreQueryFilters().CountAsync(e => e.Type == "leads.imported" && e.Subject == $"imports/{id}")));

        var report = await (await rep.GetAsync($"/api/v1/imports/{id}/report")).Content.ReadAsStringAsync();
        var lines = report.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("First Name,Last Name,Email,Phone,Company,Title,Source,outcome,reason", lines[0], StringComparison.Ordinal);
        Assert.Contains(",created,", lines[1], StringComparison.Ordinal);
        Assert.Contains(",skipped,", lines[4], StringComparison.Ordinal);
        Assert.Contains("not yours", lines[5], StringComparison.Ordinal);

        // Update: only the mapped, filled fields change; the previous values come back on revert.
        var update = (await UploadAsync(rep, $"Email,Title,First Name\nmine-{m}@example.com,Director,\n")).GetProperty("import").Id();
        var updated = await RunAsync(rep, update, onDuplicate: "update");
        Assert.Equal(1, Count(updated, "updated"));
        var changed = await app.QueryAsync(d => LeadAccess.All(d).SingleAsync(l => l.Id == mine));
        Assert.Equal(("Old", "Director"), (changed.FirstName, changed.JobTitle));
        var restored = await (await rep.PostAsync($"/api/v1/imports/{update}/revert", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, restored.GetProperty("restored").GetInt64());
        Assert.Equal("Buyer", (await app.QueryAsync(d => LeadAccess.All(d).SingleAsync(l => l.Id == mine))).JobTitle);

        var reverted = await (await rep.PostAsync($"/api/v1/imports/{id}/revert", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, reverted.GetProperty("removed").GetInt64());
        Assert.NotNull((await app.QueryAsync(d => d.Set<Lead>().IgnoreQueryFilters().SingleAsync(l => l.Id == ann.Id))).DeletedAt);
        Assert.Equal(HttpStatusCode.NotFound, (await rep.GetAsync($"/api/v1/leads/{ann.Id}")).StatusCode);
        Assert.Equal(1, await app.QueryAsync(d => d.Set<Aida.Platform.Events.OutboxEvent>().IgnoreQueryFilters().CountAsync(e => e.Type == "leads.import_reverted" && e.Subject == $"imports/{id}")));
    }
}
