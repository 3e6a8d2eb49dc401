using System.Net;
using System.Text.Json;
using Aida.Features.Customers.Relationships;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Customers;

public sealed class RelationshipsApiTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_Valid_Returns201WithLocationAndETag(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var from = await app.Client.CreateOrganizationAsync();
        var to = await app.Client.CreateOrganizationAsync();

        var response = await app.Client.PostJsonAsync(Url(from.Id()),
            new { toCustomerId = to.Id(), relationshipType = "reseller", notes = "EMEA only", startDate = "2025-01-01" });

        var created = await response.ExpectAsync(HttpStatusCode.Created);
        Assert.Equal($"{Url(from.Id())}/{created.Id()}", response.Headers.Location?.ToString());
        Assert.Equal("\"1\"", response.ETag());
        Assert.Equal(from.Id(), created.GetProperty("fromCustomerId").GetGuid());
        Assert.Equal(to.Id(), created.GetProperty("toCustomerId").GetGuid());
        Assert.Equal("reseller", created.Str("relationshipType"));
        Assert.Equal("2025-01-01", created.Str("startDate"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_ToItself_Returns400NamingToCustomerId(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var relationshipsBefore = await app.QueryAsync(d => d.Set<Relationship>().CountAsync());
        var customer = await app.Client.CreateOrganizationAsync();

        await (await app.Client.PostJsonAsync(Url(customer.Id()), new { toCustomerId = customer.Id(), relationshipType = "partner" }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "toCustomerId");

        Assert.Equal(relationshipsBefore, await app.QueryAsync(d => d.Set<Relationship>().CountAsync()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_ToUnknownCustomer_Returns400NamingToCustomerId(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();

        await (await app.Client.PostJsonAsync(Url(customer.Id()), new { toCustomerId = Guid.CreateVersion7(), relationshipType = "partner" }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "toCustomerId");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_ToDeletedCustomer_Returns400NamingToCustomerId(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();
        var gone = await app.Client.CreateOrganizationAsync();
        await (await app.Client.DeleteAsync($"/api/v1/customers/{gone.Id()}", null)).ExpectAsync(HttpStatusCode.NoContent);

        await (await app.Client.PostJsonAsync(Url(customer.Id()), new { toCustomerId = gone.Id(), relationshipType = "partner" }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "toCustomerId");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_SameTypeBetweenSamePairAgain_Returns409NamingRelationshipType(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var relationshipsBefore = await app.QueryAsync(d => d.Set<Relationship>().CountAsync());
        var a = await app.Client.CreateOrganizationAsync();
        var b = await app.Client.CreateOrganizationAsync();
        await LinkAsync(app, a.Id(), b.Id(), "referral");

        await (await app.Client.PostJsonAsync(Url(a.Id()), new { toCustomerId = b.Id(), relationshipType = "referral" }))
            .ExpectProblemAsync(HttpStatusCode.Conflict, "relationshipType");

        Assert.Equal(relationshipsBefore + 1, await app.QueryAsync(d => d.Set<Relationship>().CountAsync()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_OtherTypeBetweenSamePair_Returns201(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var a = await app.Client.CreateOrganizationAsync();
        var b = await app.Client.CreateOrganizationAsync();
        await LinkAsync(app, a.Id(), b.Id(), "referral");

        await (await app.Client.PostJsonAsync(Url(a.Id()), new { toCustomerId = b.Id(), relationshipType = "reseller" }))
            .ExpectAsync(HttpStatusCode.Created);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_SameTypeAfterDelete_Returns201(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var a = await app.Client.CreateOrganizationAsync();
        var b = await app.Client.CreateOrganizationAsync();
        var first = await LinkAsync(app, a.Id(), b.Id(), "partner");
        await (await app.Client.DeleteAsync($"{Url(a.Id())}/{first.Id()}", "\"1\"")).ExpectAsync(HttpStatusCode.NoContent);

        await (await app.Client.PostJsonAsync(Url(a.Id()), new { toCustomerId = b.Id(), relationshipType = "partner" }))
            .ExpectAsync(HttpStatusCode.Created);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_ParentChildClosingLoop_Returns409NamingToCustomerId(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var relationshipsBefore = await app.QueryAsync(d => d.Set<Relationship>().CountAsync());
        var a = await app.Client.CreateOrganizationAsync();
        var b = await app.Client.CreateOrganizationAsync();
        var c = await app.Client.CreateOrganizationAsync();
        await LinkAsync(app, a.Id(), b.Id(), "parent_child");
        await LinkAsync(app, b.Id(), c.Id(), "parent_child");

        await (await app.Client.PostJsonAsync(Url(c.Id()), new { toCustomerId = a.Id(), relationshipType = "parent_child" }))
            .ExpectProblemAsync(HttpStatusCode.Conflict, "toCustomerId");

        Assert.Equal(relationshipsBefore + 2, await app.QueryAsync(d => d.Set<Relationship>().CountAsync()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_SubsidiaryClosingLoopThroughParentId_Returns409NamingToCustomerId(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var a = await app.Client.CreateOrganizationAsync();
        var b = await app.Client.CreateOrganizationAsync();
        var c = await app.Client.CreateOrganizationAsync();
        await SetParentAsync(app, b.Id(), a.Id());
        await LinkAsync(app, b.Id(), c.Id(), "subsidiary");

        // a is above b by parentId, b above c by the link: c cannot also be above a.
        await (await app.Client.PostJsonAsync(Url(c.Id()), new { toCustomerId = a.Id(), relationshipType = "subsidiary" }))
            .ExpectProblemAsync(HttpStatusCode.Conflict, "toCustomerId");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task PatchCustomer_ParentIdClosingLoopThroughRelationships_Returns409NamingParentId(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var a = await app.Client.CreateOrganizationAsync();
        var b = await app.Client.CreateOrganizationAsync();
        var c = await app.Client.CreateOrganizationAsync();
        await LinkAsync(app, a.Id(), b.Id(), "subsidiary");
        await LinkAsync(app, b.Id(), c.Id(), "parent_child");

        await (await app.Client.PatchJsonAsync($"/api/v1/customers/{a.Id()}", new { parentId = c.Id() }))
            .ExpectProblemAsync(HttpStatusCode.Conflict, "parentId");

        var unchanged = await (await app.Client.GetAsync($"/api/v1/customers/{a.Id()}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, unchanged.GetProperty("parentId").ValueKind);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_PartnerAndReferralBothWays_DoNotCountAsHierarchy(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var a = await app.Client.CreateOrganizationAsync();
        var b = await app.Client.CreateOrganizationAsync();
        await LinkAsync(app, a.Id(), b.Id(), "partner");
        await LinkAsync(app, b.Id(), a.Id(), "partner");
        await LinkAsync(app, a.Id(), b.Id(), "referral");
        await LinkAsync(app, b.Id(), a.Id(), "referral");

        // Were any of those read as "a above b", this would close a loop.
        await LinkAsync(app, b.Id(), a.Id(), "parent_child");

        Assert.Equal(5, (await ListAsync(app, a.Id())).Length);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task List_FromEitherEnd_ReturnsTheRelationship(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var a = await app.Client.CreateOrganizationAsync();
        var b = await app.Client.CreateOrganizationAsync();
        var c = await app.Client.CreateOrganizationAsync();
        var link = await LinkAsync(app, a.Id(), b.Id(), "reseller");
        var unrelated = await LinkAsync(app, c.Id(), a.Id(), "referral");

        Assert.Equal([link.Id()], (await ListAsync(app, b.Id())).Select(r => r.Id()));
        Assert.Equal([link.Id(), unrelated.Id()], (await ListAsync(app, a.Id())).Select(r => r.Id()));
        var viaTo = await (await app.Client.GetAsync($"{Url(b.Id())}/{link.Id()}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(a.Id(), viaTo.GetProperty("fromCustomerId").GetGuid());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Get_ThroughUninvolvedCustomersUrl_Returns404(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var a = await app.Client.CreateOrganizationAsync();
        var b = await app.Client.CreateOrganizationAsync();
        var outsider = await app.Client.CreateOrganizationAsync();
        var link = await LinkAsync(app, a.Id(), b.Id(), "partner");

        await (await app.Client.GetAsync($"{Url(outsider.Id())}/{link.Id()}")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_EndDateBeforeStartDate_Returns400NamingEndDate(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var a = await app.Client.CreateOrganizationAsync();
        var b = await app.Client.CreateOrganizationAsync();

        await (await app.Client.PostJsonAsync(Url(a.Id()),
                new { toCustomerId = b.Id(), relationshipType = "partner", startDate = "2025-06-01", endDate = "2025-05-31" }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "endDate");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Patch_EndDateBeforeStoredStartDate_Returns400NamingEndDate(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var a = await app.Client.CreateOrganizationAsync();
        var b = await app.Client.CreateOrganizationAsync();
        var link = await LinkAsync(app, a.Id(), b.Id(), "partner", startDate: "2025-06-01");

        await (await app.Client.PatchJsonAsync($"{Url(a.Id())}/{link.Id()}", new { endDate = "2025-01-01" }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "endDate");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Patch_NotesAndDatesWithCurrentIfMatch_AppliesAndBumpsVersion(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var a = await app.Client.CreateOrganizationAsync();
        var b = await app.Client.CreateOrganizationAsync();
        var link = await LinkAsync(app, a.Id(), b.Id(), "partner");
        var url = $"{Url(a.Id())}/{link.Id()}";

        var response = await app.Client.PatchJsonAsync(url, new { notes = "Renewed", startDate = "2025-01-01", endDate = "2026-12-31" }, "\"1\"");

        var body = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("\"2\"", response.ETag());
        var fetched = await (await app.Client.GetAsync(url)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(body.ToString(), fetched.ToString());
        Assert.Equal("Renewed", fetched.Str("notes"));
        Assert.Equal("2025-01-01", fetched.Str("startDate"));
        Assert.Equal("2026-12-31", fetched.Str("endDate"));
        Assert.Equal(2, fetched.GetProperty("version").GetInt32());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Patch_StaleIfMatch_Returns412AndLeavesRelationshipUnchanged(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var a = await app.Client.CreateOrganizationAsync();
        var b = await app.Client.CreateOrganizationAsync();
        var link = await LinkAsync(app, a.Id(), b.Id(), "partner");
        var url = $"{Url(a.Id())}/{link.Id()}";
        await (await app.Client.PatchJsonAsync(url, new { notes = "First" }, "\"1\"")).ExpectAsync(HttpStatusCode.OK);

        await (await app.Client.PatchJsonAsync(url, new { notes = "Lost" }, "\"1\"")).ExpectProblemAsync(HttpStatusCode.PreconditionFailed);

        Assert.Equal("First", (await (await app.Client.GetAsync(url)).ExpectAsync(HttpStatusCode.OK)).Str("notes"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Patch_IdentityField_Returns400AndKeepsType(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var a = await app.Client.CreateOrganizationAsync();
        var b = await app.Client.CreateOrganizationAsync();
        var link = await LinkAsync(app, a.Id(), b.Id(), "partner");
        var url = $"{Url(a.Id())}/{link.Id()}";

        await (await app.Client.PatchJsonAsync(url, new { relationshipType = "subsidiary" })).ExpectProblemAsync(HttpStatusCode.BadRequest, "relationshipType");
        await (await app.Client.PatchJsonAsync(url, new { toCustomerId = a.Id() })).ExpectProblemAsync(HttpStatusCode.BadRequest, "toCustomerId");

        var current = await (await app.Client.GetAsync(url)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("partner", current.Str("relationshipType"));
        Assert.Equal(b.Id(), current.GetProperty("toCustomerId").GetGuid());
        Assert.Equal(1, current.GetProperty("version").GetInt32());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Delete_FromToEnd_RemovesItFromBothLists(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var a = await app.Client.CreateOrganizationAsync();
        var b = await app.Client.CreateOrganizationAsync();
        var link = await LinkAsync(app, a.Id(), b.Id(), "partner");

        await (await app.Client.DeleteAsync($"{Url(b.Id())}/{link.Id()}", "\"1\"")).ExpectAsync(HttpStatusCode.NoContent);

        Assert.Empty(await ListAsync(app, a.Id()));
        Assert.Empty(await ListAsync(app, b.Id()));
    }

    private static string Url(Guid customerId) => $"/api/v1/customers/{customerId}/relationships";

    private static async Task<JsonElement> LinkAsync(AidaApp app, Guid from, Guid to, string type, string? startDate = null)
    {
        var response = await app.Client.PostJsonAsync(Url(from), new { toCustomerId = to, relationshipType = type, startDate });
        return await response.ExpectAsync(HttpStatusCode.Created);
    }

    private static async Task SetParentAsync(AidaApp app, Guid child, Guid parent) =>
        await (await app.Client.PatchJsonAsync($"/api/v1/customers/{child}", new { parentId = parent })).ExpectAsync(HttpStatusCode.OK);

    private static async Task<JsonElement[]> ListAsync(AidaApp app, Guid customerId) =>
        (await (await app.Client.GetAsync(Url(customerId))).ExpectAsync(HttpStatusCode.OK)).Items();
}
