using System.Net;
using System.Text.Json;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;

namespace Aida.Tests.Platform.Auth;

/// <summary>Tax ids need customers.viewSensitive: support staff (who see every customer) see none of them anywhere.</summary>
public sealed class SensitiveFieldTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    private const string TaxId = "12-3456789";

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task WithoutViewSensitive_TaxIdIsHiddenInResponsesAuditAndEvents(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (_, support) = await app.UserAsync(Role.Support);
        var (_, manager) = await app.UserAsync(Role.Manager);
        var customer = await manager.CreateOrganizationAsync(
            account: new { legalName = "Secretive Inc", taxId = TaxId },
            addresses: [new { addressType = "billing", streetLine1 = "1 Main St", city = "Austin", postalCode = "73301", country = "US" }]);
        var url = $"/api/v1/customers/{customer.Id()}/account";
        var etag = (await app.Client.GetAsync(url)).ETag();
        await (await app.Client.PatchJsonAsync(url, new { taxId = "98-7654321" }, etag)).ExpectAsync(HttpStatusCode.OK);

        // The account's update is the last change: once the feed serves it, it serves all of them.
        Assert.Single((await Aida.Tests.Platform.Events.Feed.WaitForAsync(app, 1, query: "type=account.updated")).Items);

        var account = await (await support.GetAsync(url)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Secretive Inc", account.Str("legalName"));
        Assert.Equal(JsonValueKind.Null, account.GetProperty("taxId").ValueKind);
        var audit = await (await support.GetAsync($"/api/v1/audit?customerId={customer.Id()}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(audit.Items(), e => e.Str("entityType") == "account" && e.Str("action") == "update");
        var events = await (await support.GetAsync($"/api/v1/events?after={Uri.EscapeDataString(await app.FeedStartAsync())}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains("account.updated", events.GetRawText(), StringComparison.Ordinal);
        foreach (var text in new[] { account.GetRawText(), audit.GetRawText(), events.GetRawText() })
        {
            Assert.DoesNotContain("3456789", text, StringComparison.Ordinal);
            Assert.DoesNotContain("7654321", text, StringComparison.Ordinal);
        }

        // The manager who owns it holds viewSensitive and sees it everywhere.
        var managerView = await (await manager.GetAsync(url)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("98-7654321", managerView.Str("taxId"));
        var managerAudit = await (await manager.GetAsync($"/api/v1/audit?customerId={customer.Id()}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains("7654321", managerAudit.GetRawText(), StringComparison.Ordinal);
        var managerEvents = await (await manager.GetAsync($"/api/v1/events?after={Uri.EscapeDataString(await app.FeedStartAsync())}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(TaxId, managerEvents.GetRawText(), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task WithoutViewSensitive_SettingATaxIdIsForbiddenAndChangesNothing(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (support, supportClient) = await app.UserAsync(Role.Support);
        var customer = await app.Client.CreateOrganizationAsync(account: new { legalName = "Plain Inc" });
        var url = $"/api/v1/customers/{customer.Id()}/account";

        await (await supportClient.PatchJsonAsync(url, new { taxId = TaxId })).ExpectProblemAsync(HttpStatusCode.Forbidden, "taxId");
        await (await supportClient.PostJsonAsync("/api/v1/customers", new
        {
            type = "organization",
            displayName = "Sneaky Tax Ltd",
            account = new { legalName = "Sneaky Tax Ltd", taxId = TaxId },
        })).ExpectProblemAsync(HttpStatusCode.Forbidden, "account.taxId");

        var unchanged = await (await app.Client.GetAsync(url)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, unchanged.GetProperty("taxId").ValueKind);
        Assert.Equal(1, unchanged.GetProperty("version").GetInt32());
        // Everything else on the account stays theirs to change.
        await (await supportClient.PatchJsonAsync(url, new { industry = "Retail" })).ExpectAsync(HttpStatusCode.OK);
        Assert.NotEqual(Guid.Empty, support.Id);
    }
}
