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
}
