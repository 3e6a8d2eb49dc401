using System.Globalization;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;

namespace Aida.Tests.Features.Lifecycle;

/// <summary>The value panel and the journey on the Lifecycle tab, and milestones on the Timeline tab (Journey AC-1), through the pages.</summary>
public sealed class ValuePageTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    private const string Password = "a long enough password";

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task TheLifecycleTab_ShowsTheValue_TheLatestPurchases_AndTheJourney(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repApi) = await app.UserAsync(Role.Rep, password: Password);
        var id = (await repApi.CreateIndividualAsync()).Id();
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);

        var empty = await browser.OpenAsync($"/customers/{id}?tab=lifecycle");
        Assert.Contains("No purchases recorded yet", empty.Text("#lifecycle-value"), StringComparison.Ordinal);
        Assert.Contains("No milestones yet", empty.Text("#lifecycle-journey"), StringComparison.Ordinal);

        await (await PurchasesApiTests.PurchaseAsync(repApi, id, 1200m, "EUR", Today.AddDays(-20), "INV-900", "Annual plan")).ExpectAsync(System.Net.HttpStatusCode.Created);
        await (await PurchasesApiTests.PurchaseAsync(repApi, id, -200m, "EUR", Today.AddDays(-1), "CR-900")).ExpectAsync(System.Net.HttpStatusCode.Created);

        var tab = await browser.OpenAsync($"/customers/{id}?tab=lifecycle");
        var value = tab.Text("#lifecycle-value");
        Assert.Contains("EUR 1,000.00", value, StringComparison.Ordinal);
        Assert.Contains("EUR 200.00 refunded", value, StringComparison.Ordinal);
        var purchases = tab.Text("#lifecycle-purchases");
        Assert.Contains("INV-900", purchases, StringComparison.Ordinal);
        Assert.Contains("Refund", purchases, StringComparison.Ordinal);
        Assert.Contains("First purchase", tab.Text("#lifecycle-journey"), StringComparison.Ordinal);

        var timeline = await browser.OpenAsync($"/customers/{id}?tab=timeline&types=milestone");
        Assert.Contains("First purchase", timeline.Html, StringComparison.Ordinal);
        Assert.NotNull(timeline.Document.QuerySelector("li.entry-milestone"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task APurchase_TypedIntoTheTab_IsRecordedOnce_AndABadOneChangesNothing(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repApi) = await app.UserAsync(Role.Rep, password: Password);
        var id = (await repApi.CreateIndividualAsync()).Id();
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);
        var tab = await browser.OpenAsync($"/customers/{id}?tab=lifecycle");
        const string Form = "form[action$='/lifecycle/purchases']";
        Assert.Equal(Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), tab.Document.QuerySelector($"{Form} input[name='purchasedOn']")!.GetAttribute("value"));

        var purchase = new Dictionary<string, string?>
        {
            ["amount"] = "1,250.50", ["currency"] = "eur", ["purchasedOn"] = Today.AddDays(-3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["externalId"] = "PO-77", ["description"] = "Phone order", ["isRenewal"] = "true",
        };
        var recorded = await browser.SubmitAsync(tab, Form, purchase);
        Assert.Equal("The purchase was recorded.", recorded.Flash);
        Assert.Contains("EUR 1,250.50", recorded.Text("#lifecycle-value"), StringComparison.Ordinal);
        Assert.Contains("Renewal", recorded.Text("#lifecycle-journey"), StringComparison.Ordinal);
        // The customer's currency is now the form's default.
        Assert.Equal("EUR", recorded.Document.QuerySelector($"{Form} input[name='currency']")!.GetAttribute("value"));

        // The same reference again is recorded once; an amount that is not one and another currency change nothing.
        var again = await browser.SubmitAsync(tab, Form, purchase);
        Assert.Equal("A purchase with reference PO-77 was already recorded; nothing changed.", again.Flash);
        var bad = await browser.SubmitAsync(tab, Form, new(purchase) { ["amount"] = "twelve", ["externalId"] = "PO-78" });
        Assert.StartsWith("No purchase was recorded: Must be an amount", bad.Flash, StringComparison.Ordinal);
        var otherCurrency = await browser.SubmitAsync(tab, Form, new(purchase) { ["currency"] = "USD", ["externalId"] = "PO-79" });
        Assert.StartsWith("Nothing was changed: This customer's purchases are recorded in EUR", otherCurrency.Flash, StringComparison.Ordinal);

        var stored = await (await repApi.GetAsync($"/api/v1/customers/{id}/purchases")).ExpectAsync(System.Net.HttpStatusCode.OK);
        var only = Assert.Single(stored.GetProperty("items").EnumerateArray());
        Assert.Equal(1250.50m, only.GetProperty("amount").GetDecimal());
        Assert.True(only.GetProperty("isRenewal").GetBoolean());
    }
}
