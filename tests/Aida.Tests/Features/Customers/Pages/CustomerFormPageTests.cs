using System.Net;
using System.Text.Json;
using Aida.Platform.Audit;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Customers.Pages;

/// <summary>CustomerForm: creating (with the duplicate warning) and editing (with the stale-edit message), posted back as a browser posts.</summary>
public sealed class CustomerFormPageTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    private const string Password = "a long enough password";

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_PostsTheForm_CreatesTheOrganizationWithItsContactAndAccount_AndOpensIt(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repApi) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id, password: Password);
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);
        var name = Builders.Unique("Initech ");
        var form = await browser.OpenAsync("/customers/new");

        // The owner defaults to the person creating it (WF-CM-001 step 5).
        Assert.Equal(rep.Id.ToString(), form.Document.QuerySelector("select[name=ownerId] option[selected]")?.GetAttribute("value"));
        var detail = await browser.SubmitAsync(form, "form#customer-form", new()
        {
            ["type"] = "organization",
            ["displayName"] = name,
            ["source"] = "referral",
            ["primaryContact.firstName"] = "Bill",
            ["primaryContact.lastName"] = "Lumbergh",
            ["primaryContact.email"] = $"{Builders.Unique("bill")}@initech.example",
            ["account.legalName"] = name + " LLC",
            ["account.website"] = $"{Builders.Unique("initech")}.example",
            ["account.employeeCount"] = "51-200",
        });

        Assert.True(detail.WasRedirected);
        Assert.Equal(HttpStatusCode.OK, detail.Status);
        Assert.Equal(name, detail.Text("h1"));
        Assert.Equal($"{name} was created.", detail.Flash);
        var id = Guid.Parse(detail.Url.Split('/')[2].Split('?')[0]);
        var stored = await (await repApi.GetAsync($"/api/v1/customers/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("referral", stored.GetProperty("source").GetString());
        Assert.Equal(rep.Id, stored.GetProperty("ownerId").GetGuid());
        Assert.Equal("Lumbergh", stored.GetProperty("primaryContact").GetProperty("lastName").GetString());
        var account = await (await repApi.GetAsync($"/api/v1/customers/{id}/account")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("51-200", account.GetProperty("employeeCount").GetString());
        Assert.Contains(name + " LLC", detail.Html, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_WithBadInput_ShowsEachMessageBesideItsField_AndCreatesNothing(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, _) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id, password: Password);
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);
        var before = await app.QueryAsync(d => d.Set<Aida.Features.Customers.Customer>().IgnoreQueryFilters().CountAsync());
        var form = await browser.OpenAsync("/customers/new");

        var refused = await browser.SubmitAsync(form, "form#customer-form", new()
        {
            ["type"] = "organization",
            ["displayName"] = "  ",
            ["primaryContact.firstName"] = "Ann",
            ["primaryContact.lastName"] = "Perkins",
            ["primaryContact.email"] = "not an email",
        });

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.False(refused.WasRedirected);
        Assert.Equal("Is required.", refused.FieldError("displayName"));
        Assert.StartsWith("Must be a valid email address", refused.FieldError("primaryContact.email"), StringComparison.Ordinal);
        Assert.Equal("true", refused.Document.QuerySelector("input[name='primaryContact.email']")?.GetAttribute("aria-invalid"));
        // What was typed is kept, and the summary links to each field.
        Assert.Equal("Perkins", refused.Document.QuerySelector("input[name='primaryContact.lastName']")?.GetAttribute("value"));
        Assert.Contains(refused.Document.QuerySelectorAll(".error-summary a"), a => a.GetAttribute("href") == "#f-primaryContact-email");
        Assert.Equal(before, await app.QueryAsync(d => d.Set<Aida.Features.Customers.Customer>().IgnoreQueryFilters().CountAsync()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_ALikelyDuplicate_ShowsTheMatchesWithScores_AndCreateAnywayCreatesIt(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repApi) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id, password: Password);
        var domain = $"{Builders.Unique("globex")}.example";
        var existing = await repApi.CreateOrganizationAsync("Globex Corporation", account: new { legalName = "Globex Corporation", website = domain });
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);
        var form = await browser.OpenAsync("/customers/new");
        var fields = new Dictionary<string, string?>
        {
            ["type"] = "organization",
            ["displayName"] = "GLOBEX Corp.",
            ["account.legalName"] = "Globex",
            ["account.website"] = "https://www." + domain,
        };

        var warning = await browser.SubmitAsync(form, "form#customer-form", fields);

        Assert.Equal(HttpStatusCode.Conflict, warning.Status);
        Assert.Equal("This customer may already exist", warning.Text(".duplicates h2"));
        var match = warning.Document.QuerySelector(".duplicates tbody tr")!;
        Assert.Contains("Globex Corporation", match.TextContent, StringComparison.Ordinal);
        Assert.Matches(@"\d+%", match.QuerySelector("td:nth-child(2)")!.TextContent);
        Assert.Equal($"/customers/{existing.GetProperty("id").GetGuid()}", match.QuerySelector("a")?.GetAttribute("href"));
        Assert.Equal(0, await CountNamedAsync(app, "GLOBEX Corp."));

        var created = await browser.SubmitAsync(warning, "form#customer-form", button: "button[name=allowDuplicate]");

        Assert.True(created.WasRedirected);
        Assert.Equal("GLOBEX Corp.", created.Text("h1"));
        var id = Guid.Parse(created.Url.Split('/')[2].Split('?')[0]);
        var context = await app.QueryAsync(d => d.Set<AuditEntry>().Where(a => a.EntityId == id && a.Action == AuditAction.Create).Select(a => a.Context).SingleAsync());
        Assert.True(JsonDocument.Parse(context!).RootElement.GetProperty("allowDuplicate").GetBoolean());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_ADuplicateOfAnotherTeamsCustomer_SaysOnlyNotVisibleToYou_WithoutIdOrLink(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (_, repAApi) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id);
        var (repB, _) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id, password: Password);
        var email = $"{Builders.Unique("hank")}@globex.example";
        var theirs = await repAApi.CreateIndividualAsync("Hank Scorpio", email: email);
        using var browser = await PageBrowser.SignedInAsync(app, repB, Password);

        var warning = await browser.SubmitAsync(await browser.OpenAsync("/customers/new"), "form#customer-form", new()
        {
            ["type"] = "individual",
            ["displayName"] = "H. Scorpio",
            ["primaryContact.firstName"] = "H.",
            ["primaryContact.lastName"] = "Scorpio",
            ["primaryContact.email"] = email,
        });

        Assert.Equal(HttpStatusCode.Conflict, warning.Status);
        var match = Assert.Single(warning.Document.QuerySelectorAll(".duplicates tbody tr"));
        Assert.Equal("A customer not visible to you", match.TextContent.Trim());
        Assert.Null(match.QuerySelector("a"));
        Assert.DoesNotContain(theirs.Id().ToString(), warning.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Hank", warning.Html, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Edit_AfterSomeoneElseSaved_Is412WithWhatChanged_AndSavingAgainAppliesIt(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repApi) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id, password: Password);
        var customer = await repApi.CreateIndividualAsync("Leslie Knope");
        var id = customer.GetProperty("id").GetGuid();
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);
        var form = await browser.OpenAsync($"/customers/{id}/edit");
        await (await repApi.PatchJsonAsync($"/api/v1/customers/{id}", new { displayName = "Leslie B. Knope" })).ExpectAsync(HttpStatusCode.OK);

        var stale = await browser.SubmitAsync(form, "form#customer-form", new() { ["displayName"] = "Leslie Knope-Wyatt", ["status"] = "active" });

        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.Status);
        Assert.Contains("Changed by someone else", stale.Text(".error-summary h2"), StringComparison.Ordinal);
        var row = stale.Document.QuerySelectorAll("table.compare tbody tr").Single(r => r.QuerySelector("th")?.TextContent.Trim() == "Name");
        Assert.Contains("Leslie B. Knope", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Leslie Knope-Wyatt", row.TextContent, StringComparison.Ordinal);
        Assert.Equal("Leslie B. Knope", (await (await repApi.GetAsync($"/api/v1/customers/{id}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("displayName").GetString());

        var saved = await browser.SubmitAsync(stale, "form#customer-form");

        Assert.True(saved.WasRedirected);
        var stored = await (await repApi.GetAsync($"/api/v1/customers/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Leslie Knope-Wyatt", stored.GetProperty("displayName").GetString());
        Assert.Equal("active", stored.GetProperty("status").GetString());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Edit_BySupportStaff_KeepsTheOwner(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var team = await app.TeamAsync();
        var (support, _) = await app.UserAsync(Role.Support, team.Id, password: Password);
        var (owner, ownerApi) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id);
        var customer = await ownerApi.CreateIndividualAsync();
        var id = customer.GetProperty("id").GetGuid();
        using var browser = await PageBrowser.SignedInAsync(app, support, Password);
        var form = await browser.OpenAsync($"/customers/{id}/edit");

        var saved = await browser.SubmitAsync(form, "form#customer-form", new() { ["externalId"] = Builders.Unique("crm-") });

        Assert.True(saved.WasRedirected, saved.Html);
        Assert.Equal(owner.Id, (await (await ownerApi.GetAsync($"/api/v1/customers/{id}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("ownerId").GetGuid());
    }

    private static Task<int> CountNamedAsync(AidaApp app, string name) =>
        app.QueryAsync(d => d.Set<Aida.Features.Customers.Customer>().IgnoreQueryFilters().CountAsync(c => c.DisplayName == name));
}
