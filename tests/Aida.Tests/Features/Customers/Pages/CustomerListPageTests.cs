using System.Net;
using System.Text.Json;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;

namespace Aida.Tests.Features.Customers.Pages;

/// <summary>The customer list as people use it: record access, filters, sorting, htmx fragments, bulk actions.</summary>
public sealed class CustomerListPageTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    private const string Password = "a long enough password";

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task List_ShowsOnlyCustomersInReach_AndFiltersByStatusAndSortsByName(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var teamA = await app.TeamAsync();
        var teamB = await app.TeamAsync();
        var (rep, repApi) = await app.UserAsync(Role.Rep, teamA.Id, password: Password);
        var (_, otherApi) = await app.UserAsync(Role.Rep, teamB.Id);
        var tag = Builders.Unique("zq");
        var beta = await repApi.CreateIndividualAsync($"{tag} Beta");
        var alpha = await repApi.CreateIndividualAsync($"{tag} Alpha");
        await otherApi.CreateIndividualAsync($"{tag} Hidden");
        await (await repApi.PatchJsonAsync($"/api/v1/customers/{Id(beta)}", new { status = "active" })).ExpectAsync(HttpStatusCode.OK);
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);

        var all = await browser.OpenAsync($"/customers?q={tag}&sort=displayName");
        var active = await browser.OpenAsync($"/customers?q={tag}&status=active");

        Assert.Equal(HttpStatusCode.OK, all.Status);
        Assert.Equal([$"{tag} Alpha", $"{tag} Beta"], Names(all));
        Assert.Equal([$"{tag} Beta"], Names(active));
        Assert.Equal("ascending", all.Document.QuerySelector("th[aria-sort]")?.GetAttribute("aria-sort"));
        // The filter form shows what is applied, so the page can be bookmarked and read back.
        Assert.Equal("active", active.Document.QuerySelector("select[name=status] option[selected]")?.GetAttribute("value"));
        Assert.Equal($"/customers/{Id(alpha)}", all.Document.QuerySelector("#customer-results tbody a")?.GetAttribute("href"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task List_ForHtmx_AnswersWithTheResultsOrTheNextRowsOnly_AndTheCursorContinuesThePage(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (admin, _) = await app.UserAsync(Role.Admin, password: Password);
        var tag = Builders.Unique("pg");
        for (var i = 0; i < 55; i++)
        {
            await app.Client.CreateIndividualAsync($"{tag} {i:D2}");
        }

        using var browser = await PageBrowser.SignedInAsync(app, admin, Password);
        var first = await browser.OpenAsync($"/customers?q={tag}&sort=displayName");
        var more = first.Document.QuerySelector("#load-more a")!;
        var next = await browser.OpenAsync(more.GetAttribute("hx-get")!, new Dictionary<string, string> { ["HX-Request"] = "true", ["HX-Target"] = "load-more" });
        var results = await browser.OpenAsync($"/customers?q={tag}", new Dictionary<string, string> { ["HX-Request"] = "true", ["HX-Target"] = "customer-results" });

        Assert.Equal(50, Names(first).Count);
        Assert.Equal(more.GetAttribute("href"), more.GetAttribute("hx-get"));
        Assert.DoesNotContain("<html", next.Html, StringComparison.OrdinalIgnoreCase);
        var nextNames = next.Document.QuerySelectorAll("a[href^='/customers/']").Select(a => a.TextContent.Trim()).ToList();
        Assert.Equal(Enumerable.Range(50, 5).Select(i => $"{tag} {i:D2}"), nextNames);
        Assert.Null(next.Document.QuerySelector("#load-more"));
        Assert.DoesNotContain("<html", results.Html, StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(results.Document.QuerySelector("section#customer-results"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task BulkAssign_AsksFirst_ThenAssignsEverySelectedCustomer(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var team = await app.TeamAsync();
        var (manager, _) = await app.UserAsync(Role.Manager, team.Id, password: Password);
        var (rep, repApi) = await app.UserAsync(Role.Rep, team.Id);
        var tag = Builders.Unique("bk");
        var customers = new List<JsonElement>();
        for (var i = 0; i < 3; i++)
        {
            customers.Add(await repApi.CreateIndividualAsync($"{tag} {i}"));
        }

        using var browser = await PageBrowser.SignedInAsync(app, manager, Password);
        var list = await browser.OpenAsync($"/customers?q={tag}");
        var selected = customers.Take(2).Select(Id).ToList();
        var confirm = await SubmitBulkAsync(browser, list, selected, "assign_owner", ("ownerId", manager.Id.ToString()));

        Assert.Equal(HttpStatusCode.OK, confirm.Status);
        Assert.Contains($"Assign 2 customers to {manager.DisplayName}?", confirm.Text("h1"), StringComparison.Ordinal);
        Assert.Equal(selected.Select(id => $"/customers/{id}").Order(), confirm.Document.QuerySelectorAll("ul.selected a").Select(a => a.GetAttribute("href")!).Order());
        foreach (var id in selected)
        {
            Assert.Equal(rep.Id, await OwnerOf(app, id)); // nothing changed yet
        }

        var done = await browser.SubmitAsync(confirm, "form[action='/customers/bulk/apply']");

        Assert.True(done.WasRedirected);
        Assert.Equal($"2 customers assigned to {manager.DisplayName}.", done.Flash);
        foreach (var id in selected)
        {
            Assert.Equal(manager.Id, await OwnerOf(app, id));
        }

        Assert.Equal(rep.Id, await OwnerOf(app, Id(customers[2])));
        // Back on the list it came from, the owner column says so.
        Assert.Equal(2, done.Texts("#customer-results tbody td:nth-child(6)").Count(owner => owner == manager.DisplayName));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task BulkDelete_NeedsTheDeletePermission_AndChangesNothingWithoutIt(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var team = await app.TeamAsync();
        var (rep, repApi) = await app.UserAsync(Role.Rep, team.Id, password: Password);
        var customer = await repApi.CreateIndividualAsync();
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);
        var list = await browser.OpenAsync("/customers");

        Assert.Null(list.Document.QuerySelector("select[name=action] option[value=delete]"));
        var refused = await browser.SubmitAsync(list, "form#bulk", new() { ["ids"] = Id(customer).ToString(), ["action"] = "delete" });
        var applied = await SubmitApplyDirectlyAsync(browser, list, Id(customer));

        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal(HttpStatusCode.Forbidden, applied.Status);
        Assert.Contains("You do not have access", refused.Text("h1"), StringComparison.Ordinal);
        await (await repApi.GetAsync($"/api/v1/customers/{Id(customer)}")).ExpectAsync(HttpStatusCode.OK);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task BulkChangeStatus_IgnoresCustomersOutOfReach(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repApi) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id, password: Password);
        var (_, otherApi) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id);
        var mine = await repApi.CreateIndividualAsync();
        var theirs = await otherApi.CreateIndividualAsync();
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);
        var list = await browser.OpenAsync("/customers");

        var confirm = await SubmitBulkAsync(browser, list, [Id(mine), Id(theirs)], "change_status", ("status", "active"));
        var done = await browser.SubmitAsync(confirm, "form[action='/customers/bulk/apply']");

        Assert.Equal("1 customer changed to Active.", done.Flash);
        Assert.Equal("active", (await (await repApi.GetAsync($"/api/v1/customers/{Id(mine)}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("status").GetString());
        Assert.Equal("prospect", (await (await otherApi.GetAsync($"/api/v1/customers/{Id(theirs)}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("status").GetString());
    }

    /// <summary>Ticks the given customers on the list and presses "Review…", as a person would.</summary>
    private static async Task<Page> SubmitBulkAsync(PageBrowser browser, Page list, IReadOnlyList<Guid> ids, string action, (string Name, string Value) choice)
    {
        var form = (AngleSharp.Html.Dom.IHtmlFormElement)list.Document.QuerySelector("form#bulk")!;
        foreach (var box in form.QuerySelectorAll("input[name=ids]").OfType<AngleSharp.Html.Dom.IHtmlInputElement>())
        {
            box.IsChecked = ids.Contains(Guid.Parse(box.Value));
        }

        form.QuerySelector($"select[name=action] option[value={action}]")!.SetAttribute("selected", "selected");
        var select = (AngleSharp.Html.Dom.IHtmlSelectElement)form.QuerySelector($"select[name={choice.Name}]")!;
        select.Value = choice.Value;
        // Ids of customers the page did not show (out of reach) can still be posted by a crafted form.
        var fields = PageBrowser.FormFields(form).Where(kv => kv.Key != "ids").ToList();
        fields.AddRange(ids.Select(id => new KeyValuePair<string, string>("ids", id.ToString())));
        return await browser.PostAsync("/customers/bulk", fields);
    }

    private static async Task<Page> SubmitApplyDirectlyAsync(PageBrowser browser, Page list, Guid id)
    {
        var token = list.Document.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        return await browser.PostAsync("/customers/bulk/apply",
            [new("__RequestVerificationToken", token), new("ids", id.ToString()), new("action", "delete")]);
    }

    private static List<string> Names(Page page) =>
        page.Document.QuerySelectorAll("#customer-results tbody tr:not(#load-more) a[href^='/customers/']").Select(a => a.TextContent.Trim()).Distinct().ToList();

    private static Guid Id(JsonElement customer) => customer.GetProperty("id").GetGuid();

    private static Task<Guid?> OwnerOf(AidaApp app, Guid id) =>
        app.QueryAsync(d => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
            d.Set<Aida.Features.Customers.Customer>().Where(c => c.Id == id).Select(c => c.OwnerId)));
}
