using System.Net;
using System.Text.Json;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;

namespace Aida.Tests.Features.Customers.Pages;

/// <summary>CustomerDetail's tabs and the forms they lead to: contacts, addresses, relationships, hierarchy, history.</summary>
public sealed class CustomerDetailPageTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    private const string Password = "a long enough password";

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Contacts_AddTwo_ThenMakeTheSecondPrimary_MovesThePrimaryBadge(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repApi) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id, password: Password);
        var id = (await repApi.CreateOrganizationAsync()).GetProperty("id").GetGuid();
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);

        // An organization without contacts says so (spec 002 edge case).
        Assert.Contains("no contacts yet", (await browser.OpenAsync($"/customers/{id}")).Text("p.warning"), StringComparison.Ordinal);
        await AddContactAsync(browser, id, "April", "Ludgate");
        var second = await AddContactAsync(browser, id, "Andy", "Dwyer");
        Assert.Equal("Andy Dwyer was added.", second.Flash);
        Assert.Equal("April Ludgate", PrimaryName(second));

        var andy = second.Document.QuerySelectorAll("tbody tr").Single(r => r.TextContent.Contains("Andy Dwyer", StringComparison.Ordinal));
        var makePrimary = andy.QuerySelector("form[action$='/primary']")!.GetAttribute("action")!;
        var switched = await browser.SubmitAsync(second, $"form[action='{makePrimary}']");

        Assert.Equal("Andy Dwyer is now the primary contact.", switched.Flash);
        Assert.Equal("Andy Dwyer", PrimaryName(switched));
        var stored = await (await repApi.GetAsync($"/api/v1/customers/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Dwyer", stored.GetProperty("primaryContact").GetProperty("lastName").GetString());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Contacts_MakePrimaryWithAStaleVersion_ChangesNothingAndSaysWhy(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repApi) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id, password: Password);
        var id = (await repApi.CreateOrganizationAsync(primaryContact: new { firstName = "Ron", lastName = "Swanson" })).GetProperty("id").GetGuid();
        var tom = await repApi.CreateContactAsync(id, new { firstName = "Tom", lastName = "Haverford" });
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);
        var tab = await browser.OpenAsync($"/customers/{id}?tab=contacts");
        await (await repApi.PatchJsonAsync($"/api/v1/customers/{id}/contacts/{tom.GetProperty("id").GetGuid()}", new { jobTitle = "Entrepreneur" })).ExpectAsync(HttpStatusCode.OK);

        var refused = await browser.SubmitAsync(tab, "form[action$='/primary']");

        Assert.StartsWith("Nothing was changed: someone else changed this record meanwhile", refused.Flash, StringComparison.Ordinal);
        Assert.Equal("Ron Swanson", PrimaryName(refused));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Addresses_AddTwo_WithABadCountryFirst_ShowsThemOnTheTab(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repApi) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id, password: Password);
        var id = (await repApi.CreateOrganizationAsync()).GetProperty("id").GetGuid();
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);
        var form = await browser.OpenAsync($"/customers/{id}/addresses/new");

        var refused = await browser.SubmitAsync(form, "form.form", new() { ["streetLine1"] = "1 Main St", ["city"] = "Pawnee", ["country"] = "Indiana" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains("is not an ISO 3166-1 alpha-2 country code", refused.FieldError("country"), StringComparison.Ordinal);

        await browser.SubmitAsync(refused, "form.form", new() { ["country"] = "us" });
        var again = await browser.OpenAsync($"/customers/{id}/addresses/new");
        var tab = await browser.SubmitAsync(again, "form.form", new() { ["addressType"] = "billing", ["streetLine1"] = "Unter den Linden 1", ["postalCode"] = "10117", ["city"] = "Berlin", ["country"] = "DE" });

        var cards = tab.Texts("ul.address-list li");
        Assert.Equal(2, cards.Count);
        Assert.Contains(cards, c => c.Contains("Headquarters", StringComparison.Ordinal) && c.Contains("United States", StringComparison.Ordinal) && c.Contains("Default", StringComparison.Ordinal));
        Assert.Contains(cards, c => c.Contains("Billing", StringComparison.Ordinal) && c.Contains("10117 Berlin", StringComparison.Ordinal) && c.Contains("Germany", StringComparison.Ordinal));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Hierarchy_MovesOrganizationsUnderEachOther_ShowsTheTree_AndRefusesACycleWithItsMessage(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repApi) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id, password: Password);
        var tag = Builders.Unique("H");
        var a = (await repApi.CreateOrganizationAsync($"{tag} Holding")).GetProperty("id").GetGuid();
        var b = (await repApi.CreateOrganizationAsync($"{tag} Europe")).GetProperty("id").GetGuid();
        var c = (await repApi.CreateOrganizationAsync($"{tag} Germany")).GetProperty("id").GetGuid();
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);

        await MoveAsync(browser, b, $"{tag} Hold", a);
        var tree = await MoveAsync(browser, c, $"{tag} Eur", b);

        Assert.Equal("The organization was moved.", tree.Flash);
        Assert.Equal($"{tag} Holding", tree.Text("ul.tree > li > a"));
        Assert.Equal($"{tag} Europe", tree.Text("ul.tree > li > ul > li > a"));
        Assert.Equal($"{tag} Germany", tree.Text("ul.tree > li > ul > li > ul > li > strong[aria-current]"));

        var refused = await MoveAsync(browser, a, $"{tag} Germ", c);

        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Contains("circular", refused.Text(".error-summary"), StringComparison.OrdinalIgnoreCase);
        var top = await (await repApi.GetAsync($"/api/v1/customers/{a}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, top.GetProperty("parentId").ValueKind);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Relationships_PickTheOtherCustomerWithoutJavaScript_AndAddTheLink(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repApi) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id, password: Password);
        var tag = Builders.Unique("R");
        var from = (await repApi.CreateOrganizationAsync($"{tag} Vendor")).GetProperty("id").GetGuid();
        var to = (await repApi.CreateOrganizationAsync($"{tag} Partner")).GetProperty("id").GetGuid();
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);
        var tab = await browser.OpenAsync($"/customers/{from}?tab=relationships");

        var found = await browser.SubmitAsync(tab, "form[action$='/relationships/new']", new() { ["toCustomerId.search"] = $"{tag} Part" }, button: "button[name=find]");
        var option = found.Document.QuerySelector("input[name=toCustomerId][type=radio]");
        Assert.Equal(to.ToString(), option?.GetAttribute("value"));
        // The customer itself is never offered.
        Assert.DoesNotContain(found.Document.QuerySelectorAll("input[name=toCustomerId]"), o => o.GetAttribute("value") == from.ToString());

        var added = await browser.SubmitAsync(found, "form[action$='/relationships/new']", new() { ["relationshipType"] = "partner" }, button: "form[action$='/relationships/new'] button[type=submit]:not([name])");

        Assert.Equal("The relationship was added.", added.Flash);
        Assert.Contains($"{tag} Partner", added.Text("section.tab-panel tbody"), StringComparison.Ordinal);
        var history = await browser.OpenAsync($"/customers/{from}?tab=history");
        Assert.Contains(history.Texts("ol.history > li"), entry => entry.Contains("created the relationship", StringComparison.Ordinal));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Detail_OfACustomerOutOfReach_Is404_AndAViewerSeesNoEditActions(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, _) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id, password: Password);
        var (viewer, _) = await app.UserAsync(Role.Viewer, password: Password);
        var (_, otherApi) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id);
        var theirs = (await otherApi.CreateOrganizationAsync()).GetProperty("id").GetGuid();
        using var repBrowser = await PageBrowser.SignedInAsync(app, rep, Password);
        using var viewerBrowser = await PageBrowser.SignedInAsync(app, viewer, Password);

        var hidden = await repBrowser.OpenAsync($"/customers/{theirs}");
        var edit = await repBrowser.OpenAsync($"/customers/{theirs}/edit");
        var seen = await viewerBrowser.OpenAsync($"/customers/{theirs}");
        var viewerEdit = await viewerBrowser.OpenAsync($"/customers/{theirs}/edit");

        Assert.Equal(HttpStatusCode.NotFound, hidden.Status);
        Assert.Equal("text/html", hidden.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, edit.Status);
        Assert.Equal(HttpStatusCode.OK, seen.Status);
        Assert.Empty(seen.Document.QuerySelectorAll($"a[href='/customers/{theirs}/edit'], form[action$='/status']"));
        Assert.Equal(HttpStatusCode.Forbidden, viewerEdit.Status);
    }

    private static async Task<Page> AddContactAsync(PageBrowser browser, Guid customerId, string first, string last)
    {
        var form = await browser.OpenAsync($"/customers/{customerId}/contacts/new");
        return await browser.SubmitAsync(form, "form.form", new() { ["firstName"] = first, ["lastName"] = last, ["email"] = $"{Builders.Unique(first.ToLowerInvariant())}@pawnee.example" });
    }

    /// <summary>On the hierarchy page: search for the new parent, pick it, move (as without JavaScript: Find, then Move).</summary>
    private static async Task<Page> MoveAsync(PageBrowser browser, Guid child, string search, Guid parent)
    {
        var page = await browser.OpenAsync($"/customers/{child}/hierarchy");
        var found = await browser.SubmitAsync(page, "form[action$='/hierarchy']", new() { ["parentId.search"] = search }, button: "button[name=find]");
        Assert.Contains(found.Document.QuerySelectorAll("input[name=parentId]"), o => o.GetAttribute("value") == parent.ToString());
        return await browser.SubmitAsync(found, "form[action$='/hierarchy']", new() { ["parentId"] = parent.ToString() }, button: "button[value=under]");
    }

    private static string PrimaryName(Page page) =>
        page.Document.QuerySelectorAll("tbody tr").Single(r => r.QuerySelector(".badge.primary") is not null)
            .QuerySelector("td")!.TextContent.Replace("Primary", "", StringComparison.Ordinal).Trim();
}
