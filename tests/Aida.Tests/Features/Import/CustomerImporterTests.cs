using System.Net;
using Aida.Features.Customers;
using Aida.Features.Customers.Accounts;
using Aida.Features.Customers.Addresses;
using Aida.Features.Customers.Contacts;
using Aida.Features.Import;
using Aida.Platform.Audit;
using Aida.Platform.Events;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aida.Tests.Features.Import;

/// <summary>The bulk import path: same validation as the API, batch-wise checks, one audit entry and event per batch.</summary>
public sealed class CustomerImporterTests
{
    private static CreateCustomer.Request Person(string first, string last, string? email = null, string? externalId = null, string country = "GB") => new(
        CustomerType.Individual, $"{first} {last}", null, CustomerSource.Import, externalId, null, null,
        new ContactFields(first, last, email, null, null, null, null, null, null), null,
        [new AddressFields(AddressType.Billing, null, "1 High Street", null, "Leeds", null, "LS1 1AA", country, null, null)]);

    private static CreateCustomer.Request Company(string name, string website) => new(
        CustomerType.Organization, name, CustomerStatus.Active, CustomerSource.Import, null, null, null, null,
        new AccountFields(name, null, null, "Retail", EmployeeCount.From11To50, null, website), null);

    private static Task<ImportResult> ImportAsync(AidaApp app, IEnumerable<CreateCustomer.Request> rows, ImportOptions? options = null) =>
        app.Services.GetRequiredService<CustomerImporter>().ImportAsync(rows.ToAsyncEnumerable(), options ?? new ImportOptions(), null, CancellationToken.None);

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Import_ValidRows_AreStoredWithTheirChildrenAndFoundLikeApiCreatedOnes(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);

        var result = await ImportAsync(app, [Person("Zoë", "Müller", "zoe@example.org"), Company("Acme Widgets Ltd", "acme-widgets.example")]);

        Assert.Equal(2, result.Imported);
        Assert.Equal(0, result.Rejected);
        var found = await (await app.Client.GetAsync("/api/v1/contacts?q=mull")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Zoë", Assert.Single(found.Items()).Str("firstName"));
        var acme = Assert.Single((await (await app.Client.GetAsync("/api/v1/customers?q=acme")).ExpectAsync(HttpStatusCode.OK)).Items());
        var account = await (await app.Client.GetAsync($"/api/v1/customers/{acme.Id()}/account")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("11-50", account.Str("employeeCount"));
        Assert.Equal(1, await app.QueryAsync(d => d.Set<Address>().CountAsync()));
        Assert.Equal(1, await app.QueryAsync(d => d.Set<Contact>().CountAsync(c => c.IsPrimary)));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Import_InvalidRows_AreRejectedWithRowNumbersAndTheRestImported(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);

        var result = await ImportAsync(app,
        [
            Person("Ann", "Lee", "ann@example.org"),
            Person("Bad", "Email", "not-an-email"),
            Person("Bad", "Country", country: "XX"),
            Person("Cy", "Young", externalId: "erp-1"),
            Person("Di", "Young", externalId: "erp-1"),
        ]);

        Assert.Equal(2, result.Imported);
        Assert.Equal(3, result.Rejected);
        Assert.Equal([2L, 3L, 5L], result.FirstRejections.Select(r => r.Row).Order());
        Assert.Contains("primaryContact.email", result.FirstRejections.Single(r => r.Row == 2).Errors.Keys);
        Assert.Contains("addresses[0].country", result.FirstRejections.Single(r => r.Row == 3).Errors.Keys);
        Assert.Contains("externalId", result.FirstRejections.Single(r => r.Row == 5).Errors.Keys);
        Assert.Equal(2, await app.QueryAsync(d => d.Set<Customer>().CountAsync()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Import_WithDedupe_SkipsExistingAndInBatchDuplicates(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        await app.Client.CreateIndividualAsync("Ann Lee", email: "ann.lee@example.org");

        var result = await ImportAsync(app,
        [
            Person("Annie", "Lee", "Ann.Lee+import@example.org"),
            Company("Globex", "globex.example"),
            Company("GLOBEX Inc.", "https://www.globex.example/about"),
            Person("Carl", "Nguyen", "carl@example.org"),
        ], new ImportOptions { Dedupe = true });

        Assert.Equal(2, result.Imported);
        Assert.Equal(2, result.Duplicates);
        Assert.Equal(3, await app.QueryAsync(d => d.Set<Customer>().CountAsync()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Import_EachBatch_WritesOneAuditEntryAndOneEventListingItsCustomers(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);

        var result = await ImportAsync(app, Enumerable.Range(0, 5).Select(i => Person($"P{i}", "Batch")), new ImportOptions { BatchSize = 2 });

        Assert.Equal(5, result.Imported);
        var audits = await app.QueryAsync(d => d.Set<AuditEntry>().Where(a => a.EntityType == "import").ToListAsync());
        Assert.Equal(3, audits.Count);
        Assert.All(audits, a => Assert.Equal(result.ImportId, a.EntityId));
        var events = await app.QueryAsync(d => d.Set<OutboxEvent>().Where(e => e.Type == "customers.imported").ToListAsync());
        Assert.Equal(3, events.Count);
        var ids = await app.QueryAsync(d => d.Set<Customer>().Select(c => c.Id.ToString()).ToListAsync());
        Assert.All(ids, id => Assert.Contains(events, e => e.Data.Contains(id, StringComparison.Ordinal)));
        var page = await (await app.Client.GetAsync($"/api/v1/audit?entityType=import&entityId={result.ImportId}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(3, page.Items().Length);
    }
}
