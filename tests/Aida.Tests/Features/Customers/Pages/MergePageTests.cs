using System.Net;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;

namespace Aida.Tests.Features.Customers.Pages;

/// <summary>MergeWizard and MergePreview (WF-CM-002) from a customer's page, the old page's redirect, and "Undo merge".</summary>
public sealed class MergePageTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    private const string Password = "a long enough password";

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Wizard_FindCompareChoosePreviewConfirm_ThenUndo(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repApi) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id, password: Password);
        var keptName = Builders.Unique("Zeppelin Works ");
        var otherName = Builders.Unique("Zeppelinwerke ");
        var survivor = (await repApi.CreateOrganizationAsync(keptName)).Id();
        var other = (await repApi.CreateOrganizationAsync(otherName)).Id();
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);

        var detail = await browser.OpenAsync($"/customers/{survivor}");
        Assert.NotNull(detail.Document.QuerySelector($"a[href='/customers/{survivor}/merge']"));
        var found = await browser.OpenAsync($"/customers/{survivor}/merge?find={Uri.EscapeDataString(otherName)}");
        var add = found.Document.QuerySelectorAll("ul.merge-found a").SingleOrDefault(a => a.TextContent.Contains(otherName, StringComparison.Ordinal));
        Assert.True(add is not null, $"{otherName} was not offered: {found.Status} {found.Text("main")}");
        var compare = await browser.OpenAsync(add!.GetAttribute("href")!);
        Assert.Equal(HttpStatusCode.OK, compare.Status);
        Assert.Contains("differs", compare.Text("table.merge-compare"), StringComparison.Ordinal);

        var preview = await browser.SubmitAsync(compare, "form[action$='/merge/preview']",
            new() { ["choice.displayName"] = other.ToString() });
        Assert.Equal(HttpStatusCode.OK, preview.Status);
        Assert.Contains(otherName, preview.Text("dl.merge-preview"), StringComparison.Ordinal);

        var merged = await browser.SubmitAsync(preview, $"form[action='/customers/{survivor}/merge']");
        Assert.StartsWith("Merged 1 customer into this one.", merged.Flash, StringComparison.Ordinal);
        Assert.Equal(otherName, merged.Text("h1"));
        var redirected = await browser.OpenAsync($"/customers/{other}");
        Assert.True(redirected.WasRedirected);
        Assert.EndsWith($"/customers/{survivor}", redirected.Url, StringComparison.Ordinal);

        var undone = await browser.SubmitAsync(redirected, "form[action$='/undo']");
        Assert.StartsWith("The merge was undone: 1 customer is back", undone.Flash, StringComparison.Ordinal);
        Assert.Equal(keptName, undone.Text("h1"));
        Assert.Null(undone.Document.QuerySelector("form[action$='/undo']"));
        var back = await browser.OpenAsync($"/customers/{other}");
        Assert.False(back.WasRedirected);
        Assert.Equal(otherName, back.Text("h1"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Wizard_ForACustomerTheUserCannotSee_Answers404(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, _) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id, password: Password);
        var (stranger, _) = await app.UserAsync(Role.Rep);
        var unseen = (await app.Client.CreateIndividualAsync(ownerId: stranger.Id)).Id();
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);

        Assert.Equal(HttpStatusCode.NotFound, (await browser.OpenAsync($"/customers/{unseen}/merge")).Status);
    }
}
