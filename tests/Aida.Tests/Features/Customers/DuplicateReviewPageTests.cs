using System.Net;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;

namespace Aida.Tests.Features.Customers;

/// <summary>The Duplicates page (issue 17, duplicate review): a manager's queue with scores and reasons, Merge into the wizard, Dismiss.</summary>
public sealed class DuplicateReviewPageTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    private const string Password = "a long enough password";

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Queue_ShowsTheClusterWithReasons_MergeOpensTheWizard_DismissRemovesIt(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (manager, managerApi) = await app.UserAsync(Role.Manager, password: Password);
        var last = "Okonkwo" + Builders.Unique("")[..4];
        var robert = (await (await managerApi.PostJsonAsync("/api/v1/customers",
            new { type = "individual", displayName = $"Robert {last}", primaryContact = new { firstName = "Robert", lastName = last } })).ExpectAsync(HttpStatusCode.Created)).Id();
        var bob = (await (await managerApi.PostJsonAsync("/api/v1/customers",
            new { type = "individual", displayName = $"Bob {last}", primaryContact = new { firstName = "Bob", lastName = last } })).ExpectAsync(HttpStatusCode.Created)).Id();
        using var browser = await PageBrowser.SignedInAsync(app, manager, Password);

        var queue = await browser.OpenAsync("/duplicates");
        Assert.Equal(HttpStatusCode.OK, queue.Status);
        Assert.NotNull(queue.Document.QuerySelector("nav.primary a[href='/duplicates']"));
        var cluster = queue.Document.QuerySelectorAll("section.duplicate-cluster").SingleOrDefault(s => s.TextContent.Contains($"Robert {last}", StringComparison.Ordinal));
        Assert.True(cluster is not null, queue.Text("main"));
        Assert.Contains($"Bob {last}", cluster!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Same name", cluster.TextContent, StringComparison.Ordinal);
        var merge = cluster.QuerySelector("a.button")!.GetAttribute("href")!;
        var ids = new[] { robert, bob }.Order().ToArray();
        Assert.Equal($"/customers/{ids[0]}/merge?with={ids[1]}", merge);
        var wizard = await browser.OpenAsync(merge);
        Assert.Equal(HttpStatusCode.OK, wizard.Status);
        Assert.NotNull(wizard.Document.QuerySelector("table.merge-compare"));

        var detail = await browser.OpenAsync($"/customers/{robert}");
        var compare = detail.Document.QuerySelectorAll("a.button").SingleOrDefault(a => a.TextContent.Contains("likely duplicate", StringComparison.Ordinal));
        Assert.Equal($"/customers/{robert}/merge?with={bob}", compare?.GetAttribute("href"));

        var form = cluster.QuerySelector("form[action$='/dismiss']")!.GetAttribute("action")!;
        var dismissed = await browser.SubmitAsync(queue, $"form[action='{form}']");
        Assert.StartsWith("Dismissed", dismissed.Flash, StringComparison.Ordinal);
        Assert.DoesNotContain($"Robert {last}", dismissed.Text("main"), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Queue_ForARep_Answers403_AndIsNotInTheNavigation(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, _) = await app.UserAsync(Role.Rep, password: Password);
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);

        var home = await browser.OpenAsync("/customers");
        Assert.Null(home.Document.QuerySelector("nav.primary a[href='/duplicates']"));
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.OpenAsync("/duplicates")).Status);
    }
}
