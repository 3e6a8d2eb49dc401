using System.Net;
using System.Text.Json;
using Aida.Features.Customers;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Platform.Audit;

/// <summary>
/// Every change to a record leaves an audit entry — who, when, under which request, and what changed —
/// written in the same transaction, so a refused change leaves none.
/// </summary>
public sealed class AuditLogTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    /// <summary>Columns derived from what a person typed; their changes are noise in a history.</summary>
    private static readonly string[] DerivedFields =
    [
        "searchName", "nameKey", "namePhonetic", "firstNameKey", "lastNameKey",
        "emailNormalized", "emailDomain", "phoneKey", "websiteDomain", "postalKey", "nameBlock",
    ];

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_Customer_WritesCreateEntryWithActorRequestIdAndValues(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);

        var response = await app.Client.PostJsonAsync("/api/v1/customers", new { type = "organization", displayName = "Audited Ltd" });
        var customer = await response.ExpectAsync(HttpStatusCode.Created);

        var entry = Assert.Single(await ListAsync(app, $"entityType=customer&entityId={customer.Id()}"));
        Assert.Equal("create", entry.Str("action"));
        Assert.Equal(app.Admin.Id, entry.GetProperty("actor").Id());
        Assert.Equal(app.Admin.DisplayName, entry.GetProperty("actor").Str("name"));
        Assert.NotNull(await app.QueryAsync(d => d.Set<ApiToken>().SingleOrDefaultAsync(t =>
            t.Id == entry.GetProperty("actor").GetProperty("tokenId").GetGuid() && t.UserId == app.Admin.Id)));
        Assert.Equal(response.Headers.GetValues("X-Request-Id").Single(), entry.Str("requestId"));
        Assert.Equal(customer.Id(), entry.GetProperty("customerId").GetGuid());
        var changes = entry.GetProperty("changes");
        Assert.Equal("Audited Ltd", changes.GetProperty("displayName").Str("to"));
        Assert.Equal("prospect", changes.GetProperty("status").Str("to"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Patch_Status_WritesUpdateEntryWithOnlyTheChangedFieldFromAndTo(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();

        await (await app.Client.PatchJsonAsync($"/api/v1/customers/{customer.Id()}", new { status = "active" })).ExpectAsync(HttpStatusCode.OK);

        var update = Assert.Single(await ListAsync(app, $"entityId={customer.Id()}"), e => e.Str("action") == "update");
        var changes = update.GetProperty("changes");
        Assert.Equal(["status"], changes.EnumerateObject().Select(p => p.Name));
        Assert.Equal("prospect", changes.GetProperty("status").Str("from"));
        Assert.Equal("active", changes.GetProperty("status").Str("to"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Patch_DisplayName_DiffNamesOnlyDisplayNameNotItsDerivedColumns(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync("Before Ltd");

        await (await app.Client.PatchJsonAsync($"/api/v1/customers/{customer.Id()}", new { displayName = "Äfter Ltd" })).ExpectAsync(HttpStatusCode.OK);

        var update = Assert.Single(await ListAsync(app, $"entityId={customer.Id()}"), e => e.Str("action") == "update");
        var changes = update.GetProperty("changes");
        Assert.Equal(["displayName"], changes.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Before Ltd", changes.GetProperty("displayName").Str("from"));
        Assert.Equal("Äfter Ltd", changes.GetProperty("displayName").Str("to"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task List_AfterCreatesAndUpdatesOfEveryKind_NoDiffMentionsADerivedColumn(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync(
            primaryContact: new { firstName = "Dora", lastName = "Derived", email = "dora@derived.example", phone = "+44 20 7946 0000" },
            account: new { legalName = "Derived Holdings Ltd", website = "https://derived.example" });
        var id = customer.Id();
        var contactId = customer.GetProperty("primaryContact").Id();
        await (await app.Client.PatchJsonAsync($"/api/v1/customers/{id}", new { displayName = "Renamed Derived" })).ExpectAsync(HttpStatusCode.OK);
        await (await app.Client.PatchJsonAsync($"/api/v1/customers/{id}/contacts/{contactId}",
            new { firstName = "Dorothy", lastName = "Derivative", email = "dorothy@other.example", phone = "+44 20 7946 0001" })).ExpectAsync(HttpStatusCode.OK);
        await (await app.Client.PatchJsonAsync($"/api/v1/customers/{id}/account", new { website = "https://other.example" })).ExpectAsync(HttpStatusCode.OK);

        var entries = await ListAsync(app, $"customerId={id}&limit=200");

        Assert.Equal(6, entries.Length);
        var leaked = entries
            .SelectMany(e => e.GetProperty("changes").EnumerateObject().Select(p => $"{e.Str("entityType")} {e.Str("action")}: {p.Name}"))
            .Where(change => DerivedFields.Any(f => change.EndsWith($": {f}", StringComparison.Ordinal)))
            .ToList();
        Assert.True(leaked.Count == 0, "Derived columns in audit diffs: " + string.Join("; ", leaked));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Delete_Customer_WritesDeleteEntryWithDeletedAt(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();

        await (await app.Client.DeleteAsync($"/api/v1/customers/{customer.Id()}", "\"1\"")).ExpectAsync(HttpStatusCode.NoContent);

        var delete = Assert.Single(await ListAsync(app, $"entityType=customer&entityId={customer.Id()}"), e => e.Str("action") == "delete");
        var deletedAt = delete.GetProperty("changes").GetProperty("deletedAt");
        Assert.Equal(JsonValueKind.Null, deletedAt.GetProperty("from").ValueKind);
        var stored = await app.QueryAsync(d => d.Set<Customer>().IgnoreQueryFilters()
            .Where(c => c.Id == customer.Id()).Select(c => c.DeletedAt).SingleAsync());
        Assert.Equal(stored, deletedAt.GetProperty("to").GetDateTime().ToUniversalTime());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task List_ByCustomerId_ReturnsTheHistoryOfEverythingTheCustomerOwns(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync(
            primaryContact: new { firstName = "Hana", lastName = "History" },
            addresses: [new { addressType = "billing", streetLine1 = "1 Past Lane", city = "Yore", country = "NZ" }]);
        var id = customer.Id();
        var second = await app.Client.CreateContactAsync(id, new { firstName = "Sam", lastName = "Second" });
        var other = await app.Client.CreateOrganizationAsync(primaryContact: new { firstName = "Otto", lastName = "Other" });

        var entries = await ListAsync(app, $"customerId={id}");

        Assert.All(entries, e => Assert.Equal(id, e.GetProperty("customerId").GetGuid()));
        Assert.Equal(
            new[] { "address", "contact", "contact", "customer" },
            entries.Select(e => e.Str("entityType")).Order(StringComparer.Ordinal));
        Assert.Contains(entries, e => e.GetProperty("entityId").GetGuid() == second.Id());
        Assert.DoesNotContain(entries, e => e.GetProperty("entityId").GetGuid() == other.Id());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task List_RecordHistory_NewestFirst(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();
        var url = $"/api/v1/customers/{customer.Id()}";
        await (await app.Client.PatchJsonAsync(url, new { status = "active" })).ExpectAsync(HttpStatusCode.OK);
        await (await app.Client.DeleteAsync(url, null)).ExpectAsync(HttpStatusCode.NoContent);

        var entries = await ListAsync(app, $"entityId={customer.Id()}");

        Assert.Equal(["delete", "update", "create"], entries.Select(e => e.Str("action")));
        var times = entries.Select(e => e.GetProperty("occurredAt").GetDateTime()).ToList();
        Assert.Equal(times.OrderDescending(), times);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task List_WithLimit_CursorWalksEveryEntryOnceInOrder(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();
        var url = $"/api/v1/customers/{customer.Id()}";
        foreach (var status in new[] { "active", "inactive", "churned", "active" })
        {
            await (await app.Client.PatchJsonAsync(url, new { status })).ExpectAsync(HttpStatusCode.OK);
        }

        var all = (await ListAsync(app, $"entityId={customer.Id()}")).Select(e => e.Id()).ToList();
        var walked = new List<Guid>();
        var sizes = new List<int>();
        string? cursor = null;
        do
        {
            var query = $"entityId={customer.Id()}&limit=2" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
            var page = await (await app.Client.GetAsync($"/api/v1/audit?{query}")).ExpectAsync(HttpStatusCode.OK);
            sizes.Add(page.Items().Length);
            walked.AddRange(page.Items().Select(e => e.Id()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(5, all.Count);
        Assert.Equal([2, 2, 1], sizes);
        Assert.Equal(all, walked);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task List_UnknownEntityType_Returns400NamingEntityType(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);

        await (await app.Client.GetAsync("/api/v1/audit?entityType=bogus")).ExpectProblemAsync(HttpStatusCode.BadRequest, "entityType");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task List_ForeignCursor_Returns400NamingCursor(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);

        await (await app.Client.GetAsync("/api/v1/audit?cursor=not-a-cursor")).ExpectProblemAsync(HttpStatusCode.BadRequest, "cursor");
    }

    [Theory, MemberData(nameof(RejectedChanges.Cases), MemberType = typeof(RejectedChanges))]
    public async Task Patch_Rejected_WritesNoAuditEntry(DatabaseKind db, string rejection)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();
        var before = await ListAsync(app, "limit=200");

        await RejectedChanges.SendAsync(app, customer.Id(), rejection);

        Assert.Equal(before.Select(e => e.Id()), (await ListAsync(app, "limit=200")).Select(e => e.Id()));
    }

    private static async Task<JsonElement[]> ListAsync(AidaApp app, string query) =>
        (await (await app.Client.GetAsync($"/api/v1/audit?{query}")).ExpectAsync(HttpStatusCode.OK)).Items();
}
