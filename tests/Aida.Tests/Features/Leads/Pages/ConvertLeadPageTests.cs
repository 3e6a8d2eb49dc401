using System.Net;
using Aida.Features.Customers;
using Aida.Features.Deals;
using Aida.Features.Leads;
using Aida.Platform.Auth;
using Aida.Tests.Features.Deals;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Leads.Pages;

/// <summary>
/// The convert wizard and the forecast screen through the no-JS browser. The wizard tests share the class's
/// server (counting from their start); the forecast sums every deal the CRM holds, so it has a server of its own.
/// </summary>
public sealed class ConvertLeadPageTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    private const string Password = "a long enough password";

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Wizard_PrefilledFromTheLead_ConvertsAndRedirectsToTheDeal(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customersBefore = await app.QueryAsync(d => d.Set<Customer>().CountAsync());
        var dealsBefore = await app.QueryAsync(d => d.Set<Opportunity>().CountAsync());
        var leadsBefore = await app.QueryAsync(d => d.Set<Lead>().CountAsync());
        var (rep, _) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id, password: Password);
        var lead = await (await app.Client.PostJsonAsync("/api/v1/leads", new { firstName = "Rosa", lastName = "Diaz", email = "rosa@diaz.example", company = "Diaz Repairs", budgetAmount = 1500m, budgetCurrency = "GBP", assignedTo = rep.Id }))
            .ExpectAsync(HttpStatusCode.Created);
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);

        var wizard = await browser.OpenAsync($"/leads/{lead.Id()}/convert");
        Assert.Equal(HttpStatusCode.OK, wizard.Status);
        Assert.Equal("Convert Rosa Diaz", wizard.Text("h1"));
        Assert.Equal("Diaz Repairs", wizard.Document.QuerySelector("input[name='customer.displayName']")?.GetAttribute("value"));
        Assert.Equal("1500.00", wizard.Document.QuerySelector("input[name='deal.value']")?.GetAttribute("value"));
        Assert.Contains("Diaz Repairs", wizard.Text("section.summary"), StringComparison.Ordinal);

        // A bad currency: the field says so, nothing is written.
        var refused = await browser.SubmitAsync(wizard, "form[action$='/convert']", new() { ["deal.currency"] = "XYZ" }, button: "button[name='convert']");
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.NotNull(refused.FieldError("deal.currency"));
        Assert.Equal(customersBefore, await app.QueryAsync(d => d.Set<Customer>().CountAsync()));

        var done = await browser.SubmitAsync(refused, "form[action$='/convert']", new() { ["deal.currency"] = "GBP", ["deal.title"] = "Laptops" }, button: "button[name='convert']");
        Assert.Equal(dealsBefore + 1, await app.QueryAsync(d => d.Set<Opportunity>().CountAsync()));
        var deal = await app.QueryAsync(d => d.Set<Opportunity>().SingleAsync(o => o.LeadId == lead.Id()));
        Assert.Equal([$"/deals/{deal.Id}"], done.Redirects);
        Assert.Equal(("Laptops", 1500m, "GBP"), (deal.Title, deal.Value, deal.Currency));
        Assert.Equal(leadsBefore + 1, await app.QueryAsync(d => d.Set<Lead>().CountAsync()));
        var stored = await app.QueryAsync(d => d.Set<Lead>().SingleAsync(l => l.Id == lead.Id()));
        Assert.Equal((LeadStatus.Converted, deal.CustomerId), (stored.Status, stored.ConvertedCustomerId!.Value));

        var again = await browser.OpenAsync($"/leads/{lead.Id()}/convert");
        Assert.Contains("was converted", again.Text("main"), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Wizard_WithoutADeal_LinksAnExistingCustomerAndRedirectsToIt(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (admin, _) = await app.UserAsync(Role.Admin, password: Password);
        var customersBefore = await app.QueryAsync(d => d.Set<Customer>().CountAsync());
        var org = await app.Client.CreateOrganizationAsync("Existing Works");
        var lead = await (await app.Client.PostJsonAsync("/api/v1/leads", new { firstName = "Ann", lastName = "Lee", email = "ann@lee.example" })).ExpectAsync(HttpStatusCode.Created);
        using var browser = await PageBrowser.SignedInAsync(app, admin, Password);

        var wizard = await browser.OpenAsync($"/leads/{lead.Id()}/convert");
        var found = await browser.SubmitAsync(wizard, "form[action$='/convert']",
            new() { ["customer.mode"] = "existing", ["customer.existingCustomerId.search"] = "Existing" }, button: "button[name='find']");
        Assert.Contains("Existing Works", found.Text(".picker-options"), StringComparison.Ordinal);

        var done = await browser.SubmitAsync(found, "form[action$='/convert']", new() { ["deal.open"] = null }, button: "button[name='convert']");
        Assert.Equal([$"/customers/{org.Id()}"], done.Redirects);
        Assert.StartsWith("The lead was converted", done.Flash, StringComparison.Ordinal);
        Assert.Equal(customersBefore + 1, await app.QueryAsync(d => d.Set<Customer>().CountAsync()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ForecastPage_DrawsTheChartAndTheTable(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        var scenario = await DealScenario.BuildAsync(app);
        await scenario.SeedForecastAsync();
        var (admin, _) = await app.UserAsync(Role.Admin, password: Password);
        using var browser = await PageBrowser.SignedInAsync(app, admin, Password);

        var page = await browser.OpenAsync("/forecast?period=month&from=2030-01-01&to=2030-03-31");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.NotNull(page.Document.QuerySelector("nav.primary a[href='/forecast']"));
        Assert.Equal(12, page.Document.QuerySelectorAll("svg rect").Length);
        Assert.Contains("Feb 2030, Closed won: EUR 1,200.00", page.Texts("svg rect title"));
        Assert.Contains("EUR 3,250.40", page.Text("dl.facts"), StringComparison.Ordinal);
        Assert.Equal(["Jan 2030", "Feb 2030", "Mar 2030", "Unscheduled"], page.Texts("table tbody tr th").Take(4).ToArray());

        var bad = await browser.OpenAsync("/forecast?period=week");
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.NotNull(bad.FieldError("period"));
    }
}
