using System.Globalization;
using System.Net;
using System.Text.Json;
using Aida.Features.Lifecycle;
using Aida.Platform.Auth;
using Aida.Platform.Events;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Lifecycle;

/// <summary>
/// Issue 16 item 4 through the API: purchases and refunds keep the customer's purchase figures current,
/// idempotent on the external id; the value figures derived from them; high-value customers within reach;
/// and the automatic moves a purchase makes (a churned customer Won Back, a prospect a Customer).
/// </summary>
public sealed class PurchasesApiTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Purchases_UpdateTheLifecycleFigures_AndTheValue_AndListNewestFirst(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var id = (await app.Client.CreateIndividualAsync()).Id();

        var first = await (await PurchaseAsync(app.Client, id, 100m, "EUR", Today.AddDays(-60), "INV-1")).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(100m, first.GetProperty("amount").GetDecimal());
        Assert.False(first.GetProperty("isRefund").GetBoolean());
        await (await PurchaseAsync(app.Client, id, 150m, "eur", Today.AddDays(-30), "INV-2")).ExpectAsync(HttpStatusCode.Created);
        await (await PurchaseAsync(app.Client, id, 300m, "EUR", Today, "INV-3")).ExpectAsync(HttpStatusCode.Created);

        var lifecycle = await (await app.Client.GetAsync($"/api/v1/customers/{id}/lifecycle")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(550m, lifecycle.GetProperty("totalRevenue").GetDecimal());
        Assert.Equal(3, lifecycle.GetProperty("purchaseCount").GetInt32());
        Assert.Equal(Today.AddDays(-60), DateOnly.Parse(lifecycle.Str("firstPurchaseDate"), CultureInfo.InvariantCulture));
        Assert.Equal(Today, DateOnly.Parse(lifecycle.Str("lastPurchaseDate"), CultureInfo.InvariantCulture));

        var value = await (await app.Client.GetAsync($"/api/v1/customers/{id}/value")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("EUR", value.Str("currency"));
        Assert.Equal(550m, value.GetProperty("totalRevenue").GetDecimal());
        Assert.Equal(550m, value.GetProperty("lifetimeValue").GetDecimal());
        Assert.Equal(183.33m, value.GetProperty("averageOrderValue").GetDecimal());
        Assert.Equal(30m, value.GetProperty("purchaseFrequencyDays").GetDecimal());
        // 183.33 an order, one every 30 days, over the next 365 days.
        Assert.Equal(decimal.Round(183.33m * 365 / 30, 2), value.GetProperty("predictedValue").GetDecimal());

        var page = await (await app.Client.GetAsync($"/api/v1/customers/{id}/purchases?limit=2")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(new[] { "INV-3", "INV-2" }, page.Items().Select(p => p.Str("externalId")).ToArray());
        var rest = await (await app.Client.GetAsync($"/api/v1/customers/{id}/purchases?limit=2&cursor={page.Str("nextCursor")}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(new[] { "INV-1" }, rest.Items().Select(p => p.Str("externalId")).ToArray());
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("nextCursor").ValueKind);

        var events = await app.QueryAsync(d => d.Set<OutboxEvent>().IgnoreQueryFilters()
            .Where(e => e.CustomerId == id && e.Type == "customer.purchase_recorded").CountAsync());
        Assert.Equal(3, events);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task APurchaseSentAgain_Returns200WithTheStoredOne_AndChangesNothing_ButDifferentContentIs409(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var id = (await app.Client.CreateIndividualAsync()).Id();
        var created = await (await PurchaseAsync(app.Client, id, 80.5m, "GBP", Today.AddDays(-3), "BK-77", "Two nights")).ExpectAsync(HttpStatusCode.Created);

        var again = await (await PurchaseAsync(app.Client, id, 80.5m, "GBP", Today.AddDays(-3), "BK-77", "Two nights")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(created.Id(), again.Id());
        await (await PurchaseAsync(app.Client, id, 90m, "GBP", Today.AddDays(-3), "BK-77", "Two nights")).ExpectProblemAsync(HttpStatusCode.Conflict, "externalId");
        await (await PurchaseAsync(app.Client, id, 80.5m, "GBP", Today.AddDays(-4), "BK-77", "Two nights")).ExpectProblemAsync(HttpStatusCode.Conflict, "externalId");

        var lifecycle = await (await app.Client.GetAsync($"/api/v1/customers/{id}/lifecycle")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(80.5m, lifecycle.GetProperty("totalRevenue").GetDecimal());
        Assert.Equal(1, lifecycle.GetProperty("purchaseCount").GetInt32());
        Assert.Single((await (await app.Client.GetAsync($"/api/v1/customers/{id}/purchases")).ExpectAsync(HttpStatusCode.OK)).Items());

        // The external id is the customer's own: another customer may use the same number.
        var other = (await app.Client.CreateIndividualAsync()).Id();
        await (await PurchaseAsync(app.Client, other, 10m, "GBP", Today, "BK-77")).ExpectAsync(HttpStatusCode.Created);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ARefund_LowersTheRevenue_ButNotTheCountOrDates(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var id = (await app.Client.CreateIndividualAsync()).Id();
        await (await PurchaseAsync(app.Client, id, 200m, "USD", Today.AddDays(-10), "INV-10")).ExpectAsync(HttpStatusCode.Created);
        var refund = await (await PurchaseAsync(app.Client, id, -75.25m, "USD", Today, "CR-10")).ExpectAsync(HttpStatusCode.Created);
        Assert.True(refund.GetProperty("isRefund").GetBoolean());

        var value = await (await app.Client.GetAsync($"/api/v1/customers/{id}/value")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(124.75m, value.GetProperty("totalRevenue").GetDecimal());
        Assert.Equal(75.25m, value.GetProperty("refundedAmount").GetDecimal());
        Assert.Equal(1, value.GetProperty("purchaseCount").GetInt32());
        Assert.Equal(Today.AddDays(-10), DateOnly.Parse(value.Str("lastPurchaseDate"), CultureInfo.InvariantCulture));
        Assert.Equal(124.75m, value.GetProperty("averageOrderValue").GetDecimal());
        // One purchase: no pace yet, so nothing predicted.
        Assert.Equal(JsonValueKind.Null, value.GetProperty("predictedValue").ValueKind);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task BadInput_Is400NamingTheField_AndNothingIsSaved(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var id = (await app.Client.CreateIndividualAsync()).Id();
        var url = $"/api/v1/customers/{id}/purchases";

        await (await PurchaseAsync(app.Client, id, 0m, "EUR", Today, "X-1")).ExpectProblemAsync(HttpStatusCode.BadRequest, "amount");
        await (await PurchaseAsync(app.Client, id, 10.001m, "EUR", Today, "X-1")).ExpectProblemAsync(HttpStatusCode.BadRequest, "amount");
        await (await PurchaseAsync(app.Client, id, 10m, "XYZ", Today, "X-1")).ExpectProblemAsync(HttpStatusCode.BadRequest, "currency");
        await (await PurchaseAsync(app.Client, id, 10m, "EUR", Today.AddDays(3), "X-1")).ExpectProblemAsync(HttpStatusCode.BadRequest, "purchasedOn");
        await (await PurchaseAsync(app.Client, id, 10m, "EUR", Today, " ")).ExpectProblemAsync(HttpStatusCode.BadRequest, "externalId");
        await (await app.Client.PostJsonAsync(url, new { currency = "EUR", purchasedOn = Today, externalId = "X-1" })).ExpectProblemAsync(HttpStatusCode.BadRequest, "amount");
        await (await app.Client.PostJsonAsync(url, new { amount = 5, currency = "EUR", externalId = "X-1" })).ExpectProblemAsync(HttpStatusCode.BadRequest, "purchasedOn");
        await (await PurchaseAsync(app.Client, Guid.NewGuid(), 10m, "EUR", Today, "X-1")).ExpectProblemAsync(HttpStatusCode.NotFound);

        // A second currency is refused: amounts in different currencies are never added.
        await (await PurchaseAsync(app.Client, id, 10m, "EUR", Today, "X-2")).ExpectAsync(HttpStatusCode.Created);
        await (await PurchaseAsync(app.Client, id, 10m, "USD", Today, "X-3")).ExpectProblemAsync(HttpStatusCode.Conflict, "currency");

        var value = await (await app.Client.GetAsync($"/api/v1/customers/{id}/value")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(10m, value.GetProperty("totalRevenue").GetDecimal());
        Assert.Equal(1, value.GetProperty("purchaseCount").GetInt32());
        Assert.Equal(new[] { "X-2" }, (await (await app.Client.GetAsync(url)).ExpectAsync(HttpStatusCode.OK)).Items().Select(p => p.Str("externalId")).ToArray());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ACustomerOutOfReach_Is404_AndAViewerCannotRecord(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (_, owner) = await app.UserAsync(Role.Rep);
        var (_, stranger) = await app.UserAsync(Role.Rep);
        var (_, viewer) = await app.UserAsync(Role.Viewer);
        var id = (await owner.CreateIndividualAsync()).Id();
        await (await PurchaseAsync(owner, id, 40m, "EUR", Today, "R-1")).ExpectAsync(HttpStatusCode.Created);

        await (await PurchaseAsync(stranger, id, 40m, "EUR", Today, "R-2")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.GetAsync($"/api/v1/customers/{id}/purchases")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.GetAsync($"/api/v1/customers/{id}/value")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await PurchaseAsync(viewer, id, 40m, "EUR", Today, "R-3")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        // A viewer reaches every customer and reads the value.
        Assert.Equal(40m, (await (await viewer.GetAsync($"/api/v1/customers/{id}/value")).ExpectAsync(HttpStatusCode.OK)).GetProperty("totalRevenue").GetDecimal());
        Assert.Single((await (await owner.GetAsync($"/api/v1/customers/{id}/purchases")).ExpectAsync(HttpStatusCode.OK)).Items());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task HighValue_RanksTheCustomersInReach_OneCurrencyAtATime_AndPages(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (_, rep) = await app.UserAsync(Role.Rep);
        var (_, other) = await app.UserAsync(Role.Rep);
        async Task<Guid> Bought(HttpClient client, decimal amount, string currency)
        {
            var id = (await client.CreateIndividualAsync()).Id();
            await (await PurchaseAsync(client, id, amount, currency, Today, Builders.Unique("INV-"))).ExpectAsync(HttpStatusCode.Created);
            return id;
        }

        var small = await Bought(rep, 100m, "EUR");
        var large = await Bought(rep, 300.5m, "EUR");
        var middle = await Bought(rep, 200m, "EUR");
        var dollars = await Bought(rep, 1000m, "USD");
        await Bought(other, 5000m, "EUR");
        await rep.CreateIndividualAsync();

        var first = await (await rep.GetAsync("/api/v1/customers/high-value?limit=2")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("EUR", first.Str("currency"));
        Assert.Equal(new[] { ("EUR", 3), ("USD", 1) },
            first.GetProperty("currencies").EnumerateArray().Select(c => (c.Str("currency"), c.GetProperty("customers").GetInt32())).ToArray());
        Assert.All(first.GetProperty("currencies").EnumerateArray(), c => Assert.False(c.GetProperty("atLeast").GetBoolean()));
        Assert.Equal(new[] { large, middle }, first.Items().Select(c => c.GetProperty("customerId").GetGuid()).ToArray());
        Assert.Equal(300.5m, first.Items()[0].GetProperty("totalRevenue").GetDecimal());
        var second = await (await rep.GetAsync($"/api/v1/customers/high-value?limit=2&cursor={first.Str("nextCursor")}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(new[] { small }, second.Items().Select(c => c.GetProperty("customerId").GetGuid()).ToArray());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);

        var usd = await (await rep.GetAsync("/api/v1/customers/high-value?currency=usd")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(new[] { dollars }, usd.Items().Select(c => c.GetProperty("customerId").GetGuid()).ToArray());
        await (await rep.GetAsync("/api/v1/customers/high-value?currency=EURO")).ExpectProblemAsync(HttpStatusCode.BadRequest, "currency");
        await (await rep.GetAsync("/api/v1/customers/high-value?cursor=nonsense")).ExpectProblemAsync(HttpStatusCode.BadRequest, "cursor");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task APurchaseAfterChurn_MovesTheCustomerToWonBack_ByRule_AndARefundDoesNot(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var id = (await app.Client.CreateIndividualAsync()).Id();
        await (await app.Client.SendJsonAsync(HttpMethod.Put, $"/api/v1/customers/{id}/lifecycle", new { stageId = LifecycleStage.ChurnedId }, null))
            .ExpectAsync(HttpStatusCode.OK);

        await (await PurchaseAsync(app.Client, id, -20m, "EUR", Today, "CR-1")).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("churned", await StageCodeAsync(app, id));

        await (await PurchaseAsync(app.Client, id, 120m, "EUR", Today, "INV-WB")).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("won_back", await StageCodeAsync(app, id));
        var latest = (await (await app.Client.GetAsync($"/api/v1/customers/{id}/lifecycle/history")).ExpectAsync(HttpStatusCode.OK)).EnumerateArray().First();
        Assert.Equal(("churned", "won_back"), (latest.GetProperty("from").Str("code"), latest.GetProperty("to").Str("code")));
        Assert.Equal("rule", latest.Str("trigger"));
        Assert.Equal(RecordPurchase.PurchaseAfterChurnRule, latest.Str("ruleName"));
        Assert.Equal(JsonValueKind.Null, latest.GetProperty("changedBy").ValueKind);

        var types = await app.QueryAsync(d => d.Set<OutboxEvent>().IgnoreQueryFilters()
            .Where(e => e.CustomerId == id).OrderBy(e => e.Seq).Select(e => e.Type).ToListAsync());
        Assert.Contains("customer.retained", types);
        var journey = await (await app.Client.GetAsync($"/api/v1/customers/{id}/journey")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains("win_back", journey.Items().Select(m => m.Str("milestoneType")));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task APurchaseByAProspect_MakesItACustomer_ByRule(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var id = (await app.Client.CreateIndividualAsync()).Id();
        Assert.Equal("prospect", await StageCodeAsync(app, id));

        await (await PurchaseAsync(app.Client, id, 60m, "EUR", Today, "INV-P")).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("customer", await StageCodeAsync(app, id));
        var latest = (await (await app.Client.GetAsync($"/api/v1/customers/{id}/lifecycle/history")).ExpectAsync(HttpStatusCode.OK)).EnumerateArray().First();
        Assert.Equal(("rule", RecordPurchase.PurchaseMadeRule), (latest.Str("trigger"), latest.Str("ruleName")));

        // A customer already a customer stays where it is.
        await (await PurchaseAsync(app.Client, id, 60m, "EUR", Today, "INV-P2")).ExpectAsync(HttpStatusCode.Created);
        Assert.Single((await (await app.Client.GetAsync($"/api/v1/customers/{id}/lifecycle/history")).ExpectAsync(HttpStatusCode.OK)).EnumerateArray());
    }

    internal static Task<HttpResponseMessage> PurchaseAsync(
        HttpClient client, Guid customerId, decimal amount, string currency, DateOnly purchasedOn, string externalId, string? description = null, bool isRenewal = false) =>
        client.PostJsonAsync($"/api/v1/customers/{customerId}/purchases", new { amount, currency, purchasedOn, externalId, description, isRenewal });

    private static async Task<string> StageCodeAsync(AidaApp app, Guid customerId) =>
        (await (await app.Client.GetAsync($"/api/v1/customers/{customerId}/lifecycle")).ExpectAsync(HttpStatusCode.OK)).GetProperty("stage").Str("code");
}
