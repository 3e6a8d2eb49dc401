using System.Net;
using Aida.Features.Customers;
using Aida.Features.Customers.Accounts;
using Aida.Features.Customers.Addresses;
using Aida.Features.Customers.Contacts;
using Aida.Features.Customers.Relationships;
using Aida.Platform.Audit;
using Aida.Platform.Events;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Customers;

public sealed class CustomersApiTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_OrganizationWithChildren_Returns201WithLocationAndETag(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);

        var response = await app.Client.PostJsonAsync("/api/v1/customers", new
        {
            type = "organization",
            displayName = "Globex Corporation",
            source = "sales",
            externalId = "crm-42",
            primaryContact = new { firstName = "Hank", lastName = "Scorpio", email = "hank@globex.example", phone = "+1 (555) 010-0001" },
            account = new { legalName = "Globex Corporation Inc.", website = "https://www.globex.example", taxId = "12-3456789", employeeCount = "201-500", annualRevenue = "10M-100M" },
            addresses = new[] { new { addressType = "headquarters", streetLine1 = "1 Cypress Creek", city = "Cypress Creek", country = "us" } },
        });

        var body = await response.ExpectAsync(HttpStatusCode.Created);
        var id = body.Id();
        Assert.Equal($"/api/v1/customers/{id}", response.Headers.Location?.ToString());
        Assert.Equal("\"1\"", response.ETag());
        Assert.Equal("prospect", body.Str("status"));
        Assert.Equal("sales", body.Str("source"));
        Assert.Equal("Hank", body.GetProperty("primaryContact").Str("firstName"));

        var account = await (await app.Client.GetAsync($"/api/v1/customers/{id}/account")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("201-500", account.Str("employeeCount"));
        Assert.Equal("10M-100M", account.Str("annualRevenue"));
        var addresses = await (await app.Client.GetAsync($"/api/v1/customers/{id}/addresses")).ExpectAsync(HttpStatusCode.OK);
        var hq = Assert.Single(addresses.Items());
        Assert.Equal("US", hq.Str("country"));
        Assert.True(hq.GetProperty("isDefault").GetBoolean());

        var fetched = await app.Client.GetAsync($"/api/v1/customers/{id}");
        Assert.Equal("Globex Corporation", (await fetched.ExpectAsync(HttpStatusCode.OK)).Str("displayName"));
        Assert.Equal("\"1\"", fetched.ETag());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_MissingRequiredFields_Returns400NamingEachFieldAndStoresNothing(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customers = await app.QueryAsync(d => d.Set<Customer>().CountAsync());
        var audit = await app.QueryAsync(d => d.Set<AuditEntry>().CountAsync(a => a.CustomerId != null));
        var events = await app.QueryAsync(d => d.Set<OutboxEvent>().CountAsync(e => e.CustomerId != null));

        var problem = await (await app.Client.PostJsonAsync("/api/v1/customers", new { status = "active" }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "type");
        Assert.True(problem.GetProperty("errors").TryGetProperty("displayName", out _));

        Assert.Equal(customers, await app.QueryAsync(d => d.Set<Customer>().CountAsync()));
        Assert.Equal(audit, await app.QueryAsync(d => d.Set<AuditEntry>().CountAsync(a => a.CustomerId != null)));
        Assert.Equal(events, await app.QueryAsync(d => d.Set<OutboxEvent>().CountAsync(e => e.CustomerId != null)));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_NestedRulesBroken_Returns400NamingNestedFields(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customers = await app.QueryAsync(d => d.Set<Customer>().CountAsync());

        var problem = await (await app.Client.PostJsonAsync("/api/v1/customers", new
        {
            type = "individual",
            displayName = "Ivy Individual",
            primaryContact = new { firstName = "Ivy", lastName = "Individual", email = "not-an-email" },
            account = new { legalName = "Should not exist" },
            addresses = new[] { new { addressType = "billing", streetLine1 = "1 Road", city = "Town", country = "XX" } },
        })).ExpectProblemAsync(HttpStatusCode.BadRequest, "primaryContact.email");

        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("account", out _));
        Assert.True(errors.TryGetProperty("addresses[0].country", out _));
        Assert.Equal(customers, await app.QueryAsync(d => d.Set<Customer>().CountAsync()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Get_UnknownId_Returns404Problem(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);

        await (await app.Client.GetAsync($"/api/v1/customers/{Guid.CreateVersion7()}")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Patch_WithCurrentIfMatch_AppliesChangeAndBumpsVersion(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();

        var response = await app.Client.PatchJsonAsync($"/api/v1/customers/{customer.Id()}", new { status = "active", displayName = "Renamed Ltd" }, "\"1\"");

        var body = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("active", body.Str("status"));
        Assert.Equal("Renamed Ltd", body.Str("displayName"));
        Assert.Equal(2, body.GetProperty("version").GetInt32());
        Assert.Equal("\"2\"", response.ETag());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Patch_StaleIfMatch_Returns412AndLeavesRecordUnchanged(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync("Stale Co");
        var url = $"/api/v1/customers/{customer.Id()}";
        await (await app.Client.PatchJsonAsync(url, new { status = "active" }, "\"1\"")).ExpectAsync(HttpStatusCode.OK);
        var auditBefore = await app.QueryAsync(d => d.Set<AuditEntry>().CountAsync());

        var problem = await (await app.Client.PatchJsonAsync(url, new { displayName = "Lost Update" }, "\"1\""))
            .ExpectProblemAsync(HttpStatusCode.PreconditionFailed);

        Assert.Equal(2, problem.GetProperty("currentVersion").GetInt32());
        var current = await (await app.Client.GetAsync(url)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Stale Co", current.Str("displayName"));
        Assert.Equal(2, current.GetProperty("version").GetInt32());
        Assert.Equal(auditBefore, await app.QueryAsync(d => d.Set<AuditEntry>().CountAsync()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Patch_MergeSemantics_AbsentFieldsKeptAndNullClears(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var created = await (await app.Client.PostJsonAsync("/api/v1/customers", new
        {
            type = "individual",
            displayName = Builders.Unique("Merge "),
            source = "web",
            externalId = Builders.Unique("ext-"),
        })).ExpectAsync(HttpStatusCode.Created);

        var body = await (await app.Client.PatchJsonAsync($"/api/v1/customers/{created.Id()}", new { externalId = (string?)null }))
            .ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("externalId").ValueKind);
        Assert.Equal("web", body.Str("source"));
        Assert.Equal(created.Str("displayName"), body.Str("displayName"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Patch_NullForRequiredField_Returns400(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();

        await (await app.Client.PatchJsonAsync($"/api/v1/customers/{customer.Id()}", new { displayName = (string?)null }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "displayName");
        await (await app.Client.PatchJsonAsync($"/api/v1/customers/{customer.Id()}", "{\"status\": null}"))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "status");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Deactivate_KeepsCustomerReadableAndListed_UnlikeDelete(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var kept = await app.Client.CreateOrganizationAsync();
        var deleted = await app.Client.CreateOrganizationAsync();

        await (await app.Client.PatchJsonAsync($"/api/v1/customers/{kept.Id()}", new { status = "inactive" })).ExpectAsync(HttpStatusCode.OK);
        await (await app.Client.DeleteAsync($"/api/v1/customers/{deleted.Id()}", null)).ExpectAsync(HttpStatusCode.NoContent);

        Assert.Equal("inactive", (await (await app.Client.GetAsync($"/api/v1/customers/{kept.Id()}")).ExpectAsync(HttpStatusCode.OK)).Str("status"));
        await (await app.Client.GetAsync($"/api/v1/customers/{deleted.Id()}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        var listed = (await (await app.Client.GetAsync("/api/v1/customers?limit=200")).ExpectAsync(HttpStatusCode.OK)).Items().Select(i => i.Id()).ToList();
        Assert.Contains(kept.Id(), listed);
        Assert.DoesNotContain(deleted.Id(), listed);
        var inactive = (await (await app.Client.GetAsync("/api/v1/customers?status=inactive")).ExpectAsync(HttpStatusCode.OK)).Items();
        Assert.Equal(kept.Id(), Assert.Single(inactive).Id());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Delete_CascadesSoftDeleteToContactsAddressesAccountAndRelationships(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var other = await app.Client.CreateOrganizationAsync();
        var child = await app.Client.CreateOrganizationAsync();
        var customer = await app.Client.CreateOrganizationAsync(
            account: new { legalName = "Doomed Inc." },
            primaryContact: new { firstName = "Dee", lastName = "Doomed" },
            addresses: [new { addressType = "billing", streetLine1 = "9 End St", city = "Finis", country = "GB" }]);
        var id = customer.Id();
        await (await app.Client.PostJsonAsync($"/api/v1/customers/{id}/relationships", new { toCustomerId = other.Id(), relationshipType = "partner" }))
            .ExpectAsync(HttpStatusCode.Created);
        await (await app.Client.PostJsonAsync($"/api/v1/customers/{other.Id()}/relationships", new { toCustomerId = id, relationshipType = "referral" }))
            .ExpectAsync(HttpStatusCode.Created);
        await (await app.Client.PatchJsonAsync($"/api/v1/customers/{child.Id()}", new { parentId = id })).ExpectAsync(HttpStatusCode.OK);

        await (await app.Client.DeleteAsync($"/api/v1/customers/{id}", "\"1\"")).ExpectAsync(HttpStatusCode.NoContent);

        await (await app.Client.GetAsync($"/api/v1/customers/{id}/contacts")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await app.Client.GetAsync($"/api/v1/customers/{id}/account")).ExpectProblemAsync(HttpStatusCode.NotFound);
        var contactId = customer.GetProperty("primaryContact").Id();
        await (await app.Client.GetAsync($"/api/v1/customers/{id}/contacts/{contactId}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty((await (await app.Client.GetAsync($"/api/v1/customers/{other.Id()}/relationships")).ExpectAsync(HttpStatusCode.OK)).Items());
        var detached = await (await app.Client.GetAsync($"/api/v1/customers/{child.Id()}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, detached.GetProperty("parentId").ValueKind);

        // Soft: the rows are still there, each marked deleted in the same instant.
        var marks = await app.QueryAsync(async d => new[]
        {
            await d.Set<Customer>().IgnoreQueryFilters().Where(c => c.Id == id).Select(c => c.DeletedAt).SingleAsync(),
            await d.Set<Contact>().IgnoreQueryFilters().Where(c => c.CustomerId == id).Select(c => c.DeletedAt).SingleAsync(),
            await d.Set<Address>().IgnoreQueryFilters().Where(a => a.CustomerId == id).Select(a => a.DeletedAt).SingleAsync(),
            await d.Set<Account>().IgnoreQueryFilters().Where(a => a.CustomerId == id).Select(a => a.DeletedAt).SingleAsync(),
        });
        Assert.All(marks, m => Assert.Equal(marks[0], m));
        Assert.NotNull(marks[0]);
        var relationshipsDeleted = await app.QueryAsync(d => d.Set<Relationship>().IgnoreQueryFilters()
            .CountAsync(r => (r.FromCustomerId == id || r.ToCustomerId == id) && r.DeletedAt != null));
        Assert.Equal(2, relationshipsDeleted);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Delete_StaleIfMatch_Returns412AndDeletesNothing(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();

        await (await app.Client.DeleteAsync($"/api/v1/customers/{customer.Id()}", "\"7\"")).ExpectProblemAsync(HttpStatusCode.PreconditionFailed);

        await (await app.Client.GetAsync($"/api/v1/customers/{customer.Id()}")).ExpectAsync(HttpStatusCode.OK);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ExternalId_UniqueAmongLiveCustomers_FreedByDelete(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var externalId = Builders.Unique("erp-");
        var first = await (await app.Client.PostJsonAsync("/api/v1/customers", new { type = "organization", displayName = "First Holder", externalId }))
            .ExpectAsync(HttpStatusCode.Created);

        await (await app.Client.PostJsonAsync("/api/v1/customers?allowDuplicate=true", new { type = "organization", displayName = "Second Holder", externalId }))
            .ExpectProblemAsync(HttpStatusCode.Conflict, "externalId");

        await (await app.Client.DeleteAsync($"/api/v1/customers/{first.Id()}", null)).ExpectAsync(HttpStatusCode.NoContent);
        await (await app.Client.PostJsonAsync("/api/v1/customers", new { type = "organization", displayName = "Second Holder", externalId }))
            .ExpectAsync(HttpStatusCode.Created);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_UnknownOrInactiveOwner_Returns400NamingOwner(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var inactive = new Aida.Platform.Auth.User { Email = "gone@example.com", DisplayName = "Gone", IsActive = false };
        await app.QueryAsync(async d =>
        {
            d.Add(inactive);
            return await d.SaveChangesAsync();
        });

        await (await app.Client.PostJsonAsync("/api/v1/customers", new { type = "individual", displayName = "Owned", ownerId = Guid.CreateVersion7() }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "ownerId");
        var problem = await (await app.Client.PostJsonAsync("/api/v1/customers", new { type = "individual", displayName = "Owned", ownerId = inactive.Id }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "ownerId");
        Assert.Contains("deactivated", problem.GetProperty("errors").GetProperty("ownerId")[0].GetString(), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Patch_ParentThatWouldLoop_Returns409AndKeepsHierarchy(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var top = await app.Client.CreateOrganizationAsync();
        var middle = await app.Client.CreateOrganizationAsync();
        var bottom = await app.Client.CreateOrganizationAsync();
        await (await app.Client.PatchJsonAsync($"/api/v1/customers/{middle.Id()}", new { parentId = top.Id() })).ExpectAsync(HttpStatusCode.OK);
        await (await app.Client.PatchJsonAsync($"/api/v1/customers/{bottom.Id()}", new { parentId = middle.Id() })).ExpectAsync(HttpStatusCode.OK);

        await (await app.Client.PatchJsonAsync($"/api/v1/customers/{top.Id()}", new { parentId = bottom.Id() }))
            .ExpectProblemAsync(HttpStatusCode.Conflict, "parentId");
        await (await app.Client.PatchJsonAsync($"/api/v1/customers/{top.Id()}", new { parentId = top.Id() }))
            .ExpectProblemAsync(HttpStatusCode.Conflict, "parentId");

        var unchanged = await (await app.Client.GetAsync($"/api/v1/customers/{top.Id()}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, unchanged.GetProperty("parentId").ValueKind);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Patch_OrganizationWithAccountToIndividual_Returns409(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync(account: new { legalName = "Has Account LLC" });

        await (await app.Client.PatchJsonAsync($"/api/v1/customers/{customer.Id()}", new { type = "individual" }))
            .ExpectProblemAsync(HttpStatusCode.Conflict, "type");
    }
}
