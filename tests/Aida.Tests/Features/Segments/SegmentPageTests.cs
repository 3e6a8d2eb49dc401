using System.Net;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;

namespace Aida.Tests.Features.Segments;

/// <summary>SegmentBuilder, SegmentList and a segment's page, through the pages without scripts (the preview button stands in for htmx).</summary>
public sealed class SegmentPageTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    private const string Password = "a long enough password";

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task TheBuilder_PreviewsTheCount_SavesTheSegment_AndItsPageListsTheMembers(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var marker = Builders.Unique("Pg");
        var (marketer, _) = await app.UserAsync(Role.Marketing, password: Password);
        var (rep, repApi) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id, password: Password);
        var own = (await repApi.CreateIndividualAsync($"{marker} Mine")).Id();
        await app.Client.CreateIndividualAsync($"{marker} Other");
        using var browser = await PageBrowser.SignedInAsync(app, marketer, Password);

        var builder = await browser.OpenAsync("/segments/new");
        var fields = new Dictionary<string, string?>
        {
            ["name"] = $"{marker} segment",
            ["field_0"] = "customer.name",
            ["operator_0"] = "contains",
            ["value_0"] = marker,
        };
        var preview = await browser.SubmitAsync(builder, "#segment-builder", fields, "button[value='preview']");
        Assert.Equal("2 customers", preview.Text("#preview-count"));

        // htmx asks for the fragment alone as the conditions change; a bad one is named.
        var htmx = await browser.PostAsync("/segments/preview", PageBrowser.FormFields((AngleSharp.Html.Dom.IHtmlFormElement)builder.Document.QuerySelector("#segment-builder")!)
            .Where(kv => !fields.ContainsKey(kv.Key)).Concat(fields.Select(kv => new KeyValuePair<string, string>(kv.Key, kv.Key == "operator_0" ? "gt" : kv.Value!))));
        Assert.Contains("Condition 1 (operator)", htmx.Html, StringComparison.Ordinal);

        var saved = await browser.SubmitAsync(preview, "#segment-builder", fields, "button[value='save']");
        Assert.StartsWith($"Segment \"{marker} segment\" saved: 2 members", saved.Flash, StringComparison.Ordinal);
        Assert.Equal(2, saved.Document.QuerySelectorAll("#members tbody tr").Length);
        Assert.Contains("Prospect", saved.Text("#members"), StringComparison.Ordinal);

        // A rep sees the segment with the members they reach.
        using var repBrowser = await PageBrowser.SignedInAsync(app, rep, Password);
        var list = await repBrowser.OpenAsync("/segments");
        var row = list.Document.QuerySelectorAll("#segments tbody tr").Single(r => r.TextContent.Contains(marker, StringComparison.Ordinal));
        Assert.Contains("1", row.QuerySelectorAll("td")[2].TextContent, StringComparison.Ordinal);
        var detail = await repBrowser.OpenAsync(row.QuerySelector("a")!.GetAttribute("href")!);
        Assert.Equal($"/customers/{own}", detail.Document.QuerySelector("#members a")!.GetAttribute("href"));
        Assert.Null(list.Document.QuerySelector("a[href='/segments/new']"));
        Assert.Equal(HttpStatusCode.Forbidden, (await repBrowser.OpenAsync("/segments/new")).Status);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task TheBuilder_ShowsWhatIsWrong_AndSavesNothing(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (admin, _) = await app.UserAsync(Role.Admin, password: Password);
        using var browser = await PageBrowser.SignedInAsync(app, admin, Password);
        var name = Builders.Unique("Broken ");
        var builder = await browser.OpenAsync("/segments/new");
        var refused = await browser.SubmitAsync(builder, "#segment-builder", new()
        {
            ["name"] = name, ["field_0"] = "lifecycle.last_purchase_date", ["operator_0"] = "gte", ["value_0"] = "ninety days ago",
        }, "button[value='save']");
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains("Condition 1 (value)", refused.Html, StringComparison.Ordinal);
        var list = await browser.OpenAsync("/segments");
        Assert.DoesNotContain(name, list.Html, StringComparison.Ordinal);

        // Adding a condition keeps what was typed.
        var more = await browser.SubmitAsync(refused, "#segment-builder", null, "button[value='add']");
        Assert.Equal(2, more.Document.QuerySelectorAll("#conditions tbody tr").Length);
        Assert.Equal("ninety days ago", (more.Document.QuerySelector("input[name='value_0']") as AngleSharp.Html.Dom.IHtmlInputElement)!.Value);
    }
}
