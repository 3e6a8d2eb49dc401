using System.Net;
using Aida.Features.Lifecycle;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;

namespace Aida.Tests.Features.Lifecycle;

/// <summary>LifecycleView on the customer page and the approvals list, through the pages without scripts.</summary>
public sealed class LifecyclePageTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    private const string Password = "a long enough password";

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task TheLifecycleTab_ShowsTheStage_MovesTheCustomer_AndListsTheHistory(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repApi) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id, password: Password);
        var id = (await repApi.CreateIndividualAsync()).Id();
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);

        var tab = await browser.OpenAsync($"/customers/{id}?tab=lifecycle");
        Assert.StartsWith("Prospect since", tab.Text("#lifecycle-stage"), StringComparison.Ordinal);
        Assert.Contains("No stage changes yet", tab.Html, StringComparison.Ordinal);
        // A rep sees the allowed moves only; overriding is an administrator's.
        Assert.Null(tab.Document.QuerySelector("input[name='override']"));
        Assert.Equal(3, tab.Document.QuerySelectorAll("select[name='stageId'] option").Length);

        var moved = await browser.SubmitAsync(tab, "form[action$='/lifecycle/move']",
            new() { ["stageId"] = LifecycleStage.OpportunityId.ToString(), ["reason"] = "Asked for a quote" });

        Assert.Equal("The customer is now Opportunity.", moved.Flash);
        Assert.StartsWith("Opportunity since", moved.Text("#lifecycle-stage"), StringComparison.Ordinal);
        Assert.Contains("Asked for a quote", moved.Text("#lifecycle-history"), StringComparison.Ordinal);

        // The same form again, now stale: nothing moves.
        var stale = await browser.SubmitAsync(tab, "form[action$='/lifecycle/move']", new() { ["stageId"] = LifecycleStage.ChurnedId.ToString() });
        Assert.StartsWith("Nothing was changed", stale.Flash, StringComparison.Ordinal);
        var stored = await (await repApi.GetAsync($"/api/v1/customers/{id}/lifecycle")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("opportunity", stored.GetProperty("stage").Str("code"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task AnAdministrator_CanOverrideOnTheTab_AndAManager_SeesTheApprovalsPage(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (admin, _) = await app.UserAsync(Role.Admin, password: Password);
        var id = (await app.Client.CreateIndividualAsync()).Id();
        using var browser = await PageBrowser.SignedInAsync(app, admin, Password);
        var tab = await browser.OpenAsync($"/customers/{id}?tab=lifecycle");
        Assert.NotNull(tab.Document.QuerySelector("input[name='override']"));

        var noReason = await browser.SubmitAsync(tab, "form[action$='/lifecycle/move']",
            new() { ["stageId"] = LifecycleStage.AdvocacyId.ToString(), ["override"] = "true" });
        Assert.Contains("Is required to override", noReason.Flash, StringComparison.Ordinal);
        var overridden = await browser.SubmitAsync(noReason, "form[action$='/lifecycle/move']",
            new() { ["stageId"] = LifecycleStage.AdvocacyId.ToString(), ["override"] = "true", ["reason"] = "Long-time customer, imported late" });
        Assert.Equal("The customer is now Advocacy.", overridden.Flash);
        Assert.Contains("(override)", overridden.Text("#lifecycle-history"), StringComparison.Ordinal);

        var (manager, _) = await app.UserAsync(Role.Manager, password: Password);
        using var managerBrowser = await PageBrowser.SignedInAsync(app, manager, Password);
        var approvals = await managerBrowser.OpenAsync("/lifecycle/approvals");
        Assert.Equal("Lifecycle approvals", approvals.Text("h1"));
        var (rep, _) = await app.UserAsync(Role.Rep, password: Password);
        using var repBrowser = await PageBrowser.SignedInAsync(app, rep, Password);
        Assert.Equal(HttpStatusCode.Forbidden, (await repBrowser.OpenAsync("/lifecycle/approvals")).Status);
    }
}
