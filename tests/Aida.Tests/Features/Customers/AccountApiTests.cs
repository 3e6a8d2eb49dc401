using System.Net;
using Aida.Features.Customers;
using Aida.Features.Customers.Accounts;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Customers;

public sealed class AccountApiTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_ForOrganization_Returns201AndIsReadable(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();
        var url = AccountUrl(customer.Id());

        var response = await app.Client.PostJsonAsync(url, new { legalName = "Initech LLC", employeeCount = "51-200", website = "initech.example" });

        var created = await response.ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(url, response.Headers.Location?.ToString());
        Assert.Equal("\"1\"", response.ETag());
        var fetched = await (await app.Client.GetAsync(url)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(created.Id(), fetched.Id());
        Assert.Equal("Initech LLC", fetched.Str("legalName"));
        Assert.Equal("51-200", fetched.Str("employeeCount"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_ForIndividual_Returns409NamingType(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var accountsBefore = await app.QueryAsync(d => d.Set<Account>().CountAsync());
        var individual = await app.Client.CreateIndividualAsync();

        await (await app.Client.PostJsonAsync(AccountUrl(individual.Id()), new { legalName = "Not A Company" }))
            .ExpectProblemAsync(HttpStatusCode.Conflict, "type");

        Assert.Equal(accountsBefore, await app.QueryAsync(d => d.Set<Account>().CountAsync()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task CreateCustomer_IndividualWithNestedAccount_Returns400NamingAccount(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customersBefore = await app.QueryAsync(d => d.Set<Customer>().CountAsync());

        await (await app.Client.PostJsonAsync("/api/v1/customers?allowDuplicate=true", new
        {
            type = "individual",
            displayName = "Ivy Individual",
            account = new { legalName = "Ivy Ltd" },
        })).ExpectProblemAsync(HttpStatusCode.BadRequest, "account");

        Assert.Equal(customersBefore, await app.QueryAsync(d => d.Set<Customer>().CountAsync()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_Second_Returns409AndKeepsFirst(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var accountsBefore = await app.QueryAsync(d => d.Set<Account>().CountAsync());
        var customer = await app.Client.CreateOrganizationAsync(account: new { legalName = "First Account Inc" });
        var url = AccountUrl(customer.Id());

        await (await app.Client.PostJsonAsync(url, new { legalName = "Second Account Inc" })).ExpectProblemAsync(HttpStatusCode.Conflict, "customerId");

        Assert.Equal("First Account Inc", (await (await app.Client.GetAsync(url)).ExpectAsync(HttpStatusCode.OK)).Str("legalName"));
        Assert.Equal(accountsBefore + 1, await app.QueryAsync(d => d.Set<Account>().CountAsync()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Get_CustomerWithoutAccount_Returns404(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();

        await (await app.Client.GetAsync(AccountUrl(customer.Id()))).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_EinForUsCustomer_Returns201(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await CreateOrganizationInAsync(app, "us");

        var created = await (await app.Client.PostJsonAsync(AccountUrl(customer), new { legalName = "Ein Corp", taxId = "12-3456789" }))
            .ExpectAsync(HttpStatusCode.Created);

        Assert.Equal("12-3456789", created.Str("taxId"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_NonEinForUsCustomer_Returns400NamingTaxId(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await CreateOrganizationInAsync(app, "US");

        // "1234-56789" would pass the generic plausibility check; only the US rule rejects it.
        foreach (var taxId in new[] { "123", "1234-56789" })
        {
            await (await app.Client.PostJsonAsync(AccountUrl(customer), new { legalName = "Bad Ein Corp", taxId }))
                .ExpectProblemAsync(HttpStatusCode.BadRequest, "taxId");
        }
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_NonEinForCustomerWithoutAddress_Returns201(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();

        await (await app.Client.PostJsonAsync(AccountUrl(customer.Id()), new { legalName = "Nowhere Corp", taxId = "1234-56789" }))
            .ExpectAsync(HttpStatusCode.Created);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_HeadquartersCountry_DecidesOverBillingCountry(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync(addresses:
        [
            new { addressType = "billing", streetLine1 = "1 Rechnungsweg", city = "Berlin", country = "DE" },
            new { addressType = "headquarters", streetLine1 = "1 Main St", city = "Austin", country = "US" },
        ]);

        await (await app.Client.PostJsonAsync(AccountUrl(customer.Id()), new { legalName = "Transatlantic Inc", taxId = "12-3456789" }))
            .ExpectAsync(HttpStatusCode.Created);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_VatWithCountryPrefix_CheckedByPrefixNotAddress(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await CreateOrganizationInAsync(app, "US");

        var created = await (await app.Client.PostJsonAsync(AccountUrl(customer), new { legalName = "Berlin Branch GmbH", taxId = "DE123456789" }))
            .ExpectAsync(HttpStatusCode.Created);

        Assert.Equal("DE123456789", created.Str("taxId"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_ShortGermanVat_Returns400NamingTaxId(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();

        await (await app.Client.PostJsonAsync(AccountUrl(customer.Id()), new { legalName = "Kurz GmbH", taxId = "DE12" }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "taxId");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task CreateCustomer_NestedAccountTaxId_CheckedAgainstNestedAddressCountry(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customersBefore = await app.QueryAsync(d => d.Set<Customer>().CountAsync());

        await (await app.Client.PostJsonAsync("/api/v1/customers?allowDuplicate=true", new
        {
            type = "organization",
            displayName = "Nested Ein Corp",
            account = new { legalName = "Nested Ein Corp", taxId = "1234-56789" },
            addresses = new[] { new { addressType = "headquarters", streetLine1 = "1 Main St", city = "Austin", country = "US" } },
        })).ExpectProblemAsync(HttpStatusCode.BadRequest, "account.taxId");

        Assert.Equal(customersBefore, await app.QueryAsync(d => d.Set<Customer>().CountAsync()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Patch_InvalidTaxId_Returns400AndKeepsOldValue(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync(account: new { legalName = "Valid Vat GmbH", taxId = "DE123456789" });
        var url = AccountUrl(customer.Id());

        await (await app.Client.PatchJsonAsync(url, new { taxId = "DE12" }, "\"1\"")).ExpectProblemAsync(HttpStatusCode.BadRequest, "taxId");

        Assert.Equal("DE123456789", (await (await app.Client.GetAsync(url)).ExpectAsync(HttpStatusCode.OK)).Str("taxId"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Patch_CurrentIfMatch_AppliesChangeAndBumpsVersion(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync(account: new { legalName = "Before Inc" });

        var response = await app.Client.PatchJsonAsync(AccountUrl(customer.Id()), new { legalName = "After Inc", annualRevenue = "<100K" }, "\"1\"");

        var body = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("After Inc", body.Str("legalName"));
        Assert.Equal("<100K", body.Str("annualRevenue"));
        Assert.Equal(2, body.GetProperty("version").GetInt32());
        Assert.Equal("\"2\"", response.ETag());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Patch_StaleIfMatch_Returns412AndLeavesAccountUnchanged(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync(account: new { legalName = "Stale Inc" });
        var url = AccountUrl(customer.Id());
        await (await app.Client.PatchJsonAsync(url, new { industry = "Software" }, "\"1\"")).ExpectAsync(HttpStatusCode.OK);

        var problem = await (await app.Client.PatchJsonAsync(url, new { legalName = "Lost Update Inc" }, "\"1\""))
            .ExpectProblemAsync(HttpStatusCode.PreconditionFailed);

        Assert.Equal(2, problem.GetProperty("currentVersion").GetInt32());
        var current = await (await app.Client.GetAsync(url)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Stale Inc", current.Str("legalName"));
        Assert.Equal(2, current.GetProperty("version").GetInt32());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Delete_ThenGet404_ThenCreateAgainAllowed(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync(account: new { legalName = "First Life Inc" });
        var url = AccountUrl(customer.Id());

        await (await app.Client.DeleteAsync(url, "\"1\"")).ExpectAsync(HttpStatusCode.NoContent);
        await (await app.Client.GetAsync(url)).ExpectProblemAsync(HttpStatusCode.NotFound);

        var reborn = await (await app.Client.PostJsonAsync(url, new { legalName = "Second Life Inc" })).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("Second Life Inc", (await (await app.Client.GetAsync(url)).ExpectAsync(HttpStatusCode.OK)).Str("legalName"));
        Assert.Equal(1, reborn.GetProperty("version").GetInt32());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Delete_StaleIfMatch_Returns412AndKeepsAccount(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync(account: new { legalName = "Sticky Inc" });
        var url = AccountUrl(customer.Id());

        await (await app.Client.DeleteAsync(url, "\"5\"")).ExpectProblemAsync(HttpStatusCode.PreconditionFailed);

        await (await app.Client.GetAsync(url)).ExpectAsync(HttpStatusCode.OK);
    }

    private static string AccountUrl(Guid customerId) => $"/api/v1/customers/{customerId}/account";

    private static async Task<Guid> CreateOrganizationInAsync(AidaApp app, string country) =>
        (await app.Client.CreateOrganizationAsync(addresses:
            [new { addressType = "headquarters", streetLine1 = "1 Main St", city = "Springfield", country }])).Id();
}
