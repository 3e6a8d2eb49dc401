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

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task TheBuilder_NestsAGroup_SavesIt_AndOpensItAgainAsGroups(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var marker = Builders.Unique("Grp");
        var (admin, _) = await app.UserAsync(Role.Admin, password: Password);
        var active = (await app.Client.CreateIndividualAsync($"{marker} Active")).Id();
        await (await app.Client.PatchJsonAsync($"/api/v1/customers/{active}", new { status = "active" })).ExpectAsync(HttpStatusCode.OK);
        var german = (await (await app.Client.PostJsonAsync("/api/v1/customers?allowDuplicate=true", new
        {
            type = "organization", displayName = $"{marker} GmbH",
            addresses = new[] { new { addressType = "billing", streetLine1 = "1 Ring", city = "Bonn", country = "DE" } },
        })).ExpectAsync(HttpStatusCode.Created)).Id();
        await app.Client.CreateIndividualAsync($"{marker} Neither");
        using var browser = await PageBrowser.SignedInAsync(app, admin, Password);

        // "Add a group" opens a group with one row of its own; the top-level row keeps what was typed.
        var builder = await browser.OpenAsync("/segments/new");
        var top = new Dictionary<string, string?> { ["name"] = $"{marker} nested", ["field_0"] = "customer.name", ["operator_0"] = "contains", ["value_0"] = marker };
        var grouped = await browser.SubmitAsync(builder, "#segment-builder", top, "button[value='group']");
        Assert.Single(grouped.Document.QuerySelectorAll("#conditions-1 tbody tr"));
        var twoInGroup = await browser.SubmitAsync(grouped, "#segment-builder",
            new(top) { ["field_1"] = "customer.status", ["operator_1"] = "eq", ["value_1"] = "active" }, "button[value='add:1']");
        Assert.Equal(2, twoInGroup.Document.QuerySelectorAll("#conditions-1 tbody tr").Length);
        Assert.Equal("1", twoInGroup.Document.QuerySelector("input[name='group_2']")!.GetAttribute("value"));

        // Name contains the marker, and (status is active or any address in DE): two of the three.
        var fields = new Dictionary<string, string?>(top)
        {
            ["field_1"] = "customer.status", ["operator_1"] = "eq", ["value_1"] = "active",
            ["field_2"] = "address.country", ["operator_2"] = "eq", ["value_2"] = "de", ["gmatch_1"] = "any",
        };
        var preview = await browser.SubmitAsync(twoInGroup, "#segment-builder", fields, "button[value='preview']");
        Assert.Equal("2 customers", preview.Text("#preview-count"));
        // "Not" on the group: the one left.
        var negated = await browser.SubmitAsync(twoInGroup, "#segment-builder", new(fields) { ["gnot_1"] = "true" }, "button[value='preview']");
        Assert.Equal("1 customer", negated.Text("#preview-count"));
        // A problem inside the group names the row as numbered on the form.
        var wrong = await browser.SubmitAsync(twoInGroup, "#segment-builder", new(fields) { ["operator_2"] = "gt" }, "button[value='preview']");
        Assert.Contains("Condition 3 (operator)", wrong.Html, StringComparison.Ordinal);

        var saved = await browser.SubmitAsync(twoInGroup, "#segment-builder", fields, "button[value='save']");
        Assert.StartsWith($"Segment \"{marker} nested\" saved: 2 members", saved.Flash, StringComparison.Ordinal);
        var id = saved.Url.Split('/').Last();
        var stored = await (await app.Client.GetAsync($"/api/v1/segments/{id}")).ExpectAsync(HttpStatusCode.OK);
        var criteria = stored.GetProperty("criteria");
        Assert.Equal("customer.name", criteria.GetProperty("all")[0].Str("field"));
        Assert.Equal(2, criteria.GetProperty("all")[1].GetProperty("any").GetArrayLength());
        Assert.Equal(new HashSet<string> { active.ToString(), german.ToString() },
            saved.Document.QuerySelectorAll("#members a").Select(a => a.GetAttribute("href")!.Split('/').Last()).ToHashSet());

        // Opened again, the group is a group, not JSON.
        var edit = await browser.OpenAsync($"/segments/{id}/edit");
        Assert.Equal(2, edit.Document.QuerySelectorAll("#conditions-1 tbody tr").Length);
        Assert.Equal("any", edit.Document.QuerySelector("select[name='gmatch_1'] option[selected]")!.GetAttribute("value"));
        Assert.Equal("", edit.Document.QuerySelector("#criteriaJson")!.TextContent);
    }
}
