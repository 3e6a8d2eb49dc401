using System.Net;
using Aida.Features.Deals;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Aida.Tests.Features.Deals.DealsTesting;

namespace Aida.Tests.Features.Deals.Pages;

/// <summary>
/// The pipeline board, the deal form and the deal page through the no-JS browser, on a server shared by the
/// class: each test's rep is in a team of their own, so the board shows exactly the deals the test made.
/// </summary>
public sealed class DealPagesTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    private const string Password = "a long enough password";

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Board_AnOpenDealPastItsExpectedClose_IsMarkedOverdue_AndOneDueLaterIsNot(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repApi) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id, password: Password);
        var customer = await repApi.CustomerAsync("Eagleton Parks");
        var twoDaysAgo = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var (late, _) = await repApi.CreateDealAsync(customer, "Late benches", expectedCloseOn: twoDaysAgo);
        var (onTime, _) = await repApi.CreateDealAsync(customer, "Swings on time", expectedCloseOn: "2099-06-01");
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);

        var board = await browser.OpenAsync("/deals");

        var lateClose = board.Document.QuerySelector($".deal-card[data-deal-id='{late.Id()}'] .deal-close");
        Assert.NotNull(lateClose);
        Assert.Contains("overdue", lateClose.ClassList);
        Assert.EndsWith(", overdue", lateClose.TextContent.Trim(), StringComparison.Ordinal);
        var onTimeClose = board.Document.QuerySelector($".deal-card[data-deal-id='{onTime.Id()}'] .deal-close");
        Assert.NotNull(onTimeClose);
        Assert.DoesNotContain("overdue", onTimeClose.ClassList);
        Assert.Equal("Expected close 1 Jun 2099", onTimeClose.TextContent.Trim());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Board_ShowsAColumnPerStageWithCountsAndTotals_AndACardPerDeal(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repApi) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id, password: Password);
        var customer = await repApi.CustomerAsync("Pawnee Parks");
        var (first, _) = await repApi.CreateDealAsync(customer, "Benches", value: 1200m, currency: "USD", expectedCloseOn: "2027-04-01");
        await repApi.CreateDealAsync(customer, "Swings", value: 800.50m, currency: "USD");
        await repApi.CreateDealAsync(customer, "Fountain", value: 300m, currency: "EUR", stageId: Proposal);
        await app.QueryAsync(d => d.Set<Opportunity>().Where(o => o.CustomerId == customer && o.Title == "Swings")
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.LastActivityAt, DateTime.UtcNow.AddDays(-30))));
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);

        var board = await browser.OpenAsync("/deals");

        Assert.Equal(HttpStatusCode.OK, board.Status);
        Assert.Equal("Pipeline: Sales", board.Text("h1"));
        Assert.NotNull(board.Document.QuerySelector("nav.primary a[href='/deals'][aria-current='page']"));
        Assert.Equal(
            new[] { InitialContact, Qualified, Proposal, Negotiation, ClosedWon, ClosedLost }.Select(s => s.ToString()),
            board.Document.QuerySelectorAll(".board-column").Select(c => c.GetAttribute("data-stage-id")));
        var initial = board.Document.QuerySelector($".board-column[data-stage-id='{InitialContact}']")!;
        Assert.Equal("2", initial.QuerySelector(".column-count")!.TextContent.Trim());
        Assert.Equal("USD 2,000.50", initial.QuerySelector(".column-total")!.TextContent.Trim());
        Assert.Equal(["Benches", "Swings"], initial.QuerySelectorAll(".deal-card .deal-title").Select(t => t.TextContent.Trim()));
        var card = initial.QuerySelector($".deal-card[data-deal-id='{first.Id()}']")!;
        Assert.Equal("1", card.GetAttribute("data-version"));
        Assert.Equal("Pawnee Parks", card.QuerySelector(".deal-customer")!.TextContent.Trim());
        Assert.Equal(rep.DisplayName, card.QuerySelector(".deal-owner")!.TextContent.Trim());
        Assert.Contains("Expected close 1 Apr 2027", card.TextContent, StringComparison.Ordinal);
        Assert.Null(card.QuerySelector(".badge.warn"));
        Assert.NotNull(initial.QuerySelector(".deal-card.stale .badge.warn"));
        var proposal = board.Document.QuerySelector($".board-column[data-stage-id='{Proposal}']")!;
        Assert.Equal("EUR 300.00", proposal.QuerySelector(".column-total")!.TextContent.Trim());
        Assert.Equal("won", board.Document.QuerySelector($".board-column[data-stage-id='{ClosedWon}']")!.GetAttribute("data-stage-kind"));
        Assert.NotNull(board.Document.QuerySelector("dialog#close-dialog textarea[name=reason]"));
        Assert.NotNull(board.Document.QuerySelector("script[src='/js/board.js']"));
        Assert.NotNull(board.Document.QuerySelector("script[src='/lib/Sortable.min.js']"));
        foreach (var asset in new[] { "/lib/Sortable.min.js", "/js/board.js" })
        {
            Assert.Equal(HttpStatusCode.OK, (await app.Anonymous.GetAsync(asset)).StatusCode);
        }
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Board_MoveToForm_MovesWithoutScripts_AndAsksAReasonToCloseWon(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var dealsBefore = await app.QueryAsync(d => d.Set<Opportunity>().CountAsync());
        var (rep, repApi) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id, password: Password);
        var (deal, _) = await repApi.CreateDealAsync(await repApi.CustomerAsync(), "Benches");
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);
        var form = $".deal-card[data-deal-id='{deal.Id()}'] form.move-form";

        var moved = await browser.SubmitAsync(await browser.OpenAsync("/deals"), form, new() { ["stageId"] = Negotiation.ToString() });
        Assert.Equal("“Benches” is now in Negotiation.", moved.Flash);
        Assert.NotNull(moved.Document.QuerySelector($".board-column[data-stage-id='{Negotiation}'] .deal-card[data-deal-id='{deal.Id()}'][data-version='2']"));

        var asked = await browser.SubmitAsync(moved, form, new() { ["stageId"] = ClosedWon.ToString() });
        Assert.Equal(HttpStatusCode.BadRequest, asked.Status);
        Assert.Equal("Move “Benches”", asked.Text("h1"));
        Assert.NotNull(asked.FieldError("reason"));
        Assert.Equal(ClosedWon.ToString(), asked.Document.QuerySelector("select[name=stageId] option[selected]")?.GetAttribute("value"));
        Assert.Equal(DealStatus.Open, (await app.QueryAsync(d => d.Set<Opportunity>().SingleAsync(o => o.Id == deal.Id()))).Status);

        var won = await browser.SubmitAsync(asked, "form[action$='/move']", new() { ["reason"] = "Signed at the fair" });
        Assert.Equal("“Benches” is now in Closed won.", won.Flash);
        Assert.Equal(dealsBefore + 1, await app.QueryAsync(d => d.Set<Opportunity>().CountAsync()));
        var stored = await app.QueryAsync(d => d.Set<Opportunity>().SingleAsync(o => o.Id == deal.Id()));
        Assert.Equal(DealStatus.Won, stored.Status);
        Assert.Equal("Signed at the fair", stored.CloseReason);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Board_MoveFromAStaleBoard_SaysSoAndMovesNothing(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var dealsBefore = await app.QueryAsync(d => d.Set<Opportunity>().CountAsync());
        var (rep, repApi) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id, password: Password);
        var (deal, etag) = await repApi.CreateDealAsync(await repApi.CustomerAsync(), "Benches");
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);
        var board = await browser.OpenAsync("/deals");
        await (await repApi.MoveAsync(deal.Id(), Qualified, etag)).ExpectAsync(HttpStatusCode.OK);

        var refused = await browser.SubmitAsync(board, $".deal-card[data-deal-id='{deal.Id()}'] form.move-form", new() { ["stageId"] = Proposal.ToString() });

        Assert.StartsWith("Someone else changed this deal — reloaded.", refused.Flash, StringComparison.Ordinal);
        Assert.NotNull(refused.Document.QuerySelector($".board-column[data-stage-id='{Qualified}'] .deal-card[data-deal-id='{deal.Id()}']"));
        Assert.Equal(dealsBefore + 1, await app.QueryAsync(d => d.Set<Opportunity>().CountAsync()));
        Assert.Equal(Qualified, (await app.QueryAsync(d => d.Set<Opportunity>().SingleAsync(o => o.Id == deal.Id()))).StageId);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Board_ScriptMove_AnswersWithTheNewVersion_Or412WhenStale(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repApi) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id, password: Password);
        var (deal, _) = await repApi.CreateDealAsync(await repApi.CustomerAsync(), "Benches");
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);
        var board = await browser.OpenAsync("/deals");
        var fields = PageBrowser.FormFields((AngleSharp.Html.Dom.IHtmlFormElement)board.Document.QuerySelector($".deal-card[data-deal-id='{deal.Id()}'] form.move-form")!);
        fields.RemoveAll(f => f.Key == "stageId");
        fields.Add(new("stageId", Proposal.ToString()));
        var headers = new Dictionary<string, string> { ["Accept"] = "application/json" };

        var moved = await browser.PostAsync($"/deals/{deal.Id()}/move", fields, headers);
        Assert.Equal(HttpStatusCode.OK, moved.Status);
        Assert.Contains("\"version\":2", moved.Html, StringComparison.Ordinal);

        var stale = await browser.PostAsync($"/deals/{deal.Id()}/move", fields, headers);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.Status);
        Assert.Contains("\"stale\":true", stale.Html, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task NewDeal_ForACustomer_OpensItAndTheDealPageShowsItsHistoryAndInteractions(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repApi) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id, password: Password);
        var customer = await repApi.CustomerAsync("Pawnee Parks");
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);

        var refused = await browser.SubmitAsync(await browser.OpenAsync($"/deals/new?customerId={customer}"), "form[action='/deals/new']", new()
        {
            ["title"] = "Benches", ["value"] = "-3", ["currency"] = "USD",
        });
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.NotNull(refused.FieldError("value"));

        var opened = await browser.SubmitAsync(refused, "form[action='/deals/new']", new()
        {
            ["title"] = "Benches", ["value"] = "1,500.00", ["currency"] = "usd", ["stageId"] = Qualified.ToString(), ["expectedCloseOn"] = "2027-05-01",
        });
        Assert.StartsWith("The deal “Benches” was opened in Qualified.", opened.Flash, StringComparison.Ordinal);
        Assert.Equal("Benches", opened.Text("h1"));
        var id = Guid.Parse(opened.Url.Split('/')[^1]);
        var etag = (await repApi.GetAsync($"/api/v1/deals/{id}")).ETag();
        await (await repApi.MoveAsync(id, Proposal, etag)).ExpectAsync(HttpStatusCode.OK);
        await (await repApi.PostJsonAsync("/api/v1/interactions", new
        {
            customerId = customer, interactionType = "meeting", direction = "outbound", subject = "Site visit", relatedType = "opportunity", relatedId = id,
        })).ExpectAsync(HttpStatusCode.Created);

        var page = await browser.OpenAsync($"/deals/{id}");
        var rows = page.Document.QuerySelectorAll("table.stage-history tbody tr").ToArray();
        Assert.Equal(2, rows.Length);
        Assert.Equal("Qualified", rows[0].QuerySelector("td")!.TextContent.Trim());
        Assert.Equal("Proposal", rows[1].QuerySelector("td")!.TextContent.Trim());
        Assert.Equal("—", rows[1].QuerySelectorAll("td")[2].TextContent.Trim());
        Assert.Equal(rep.DisplayName, rows[1].QuerySelectorAll("td")[4].TextContent.Trim());
        Assert.Contains("Site visit", page.Text("ul.deal-interactions"), StringComparison.Ordinal);
        Assert.Contains("USD 1,500.00", page.Text("dl.facts"), StringComparison.Ordinal);

        var edited = await browser.SubmitAsync(await browser.OpenAsync($"/deals/{id}/edit"), $"form[action='/deals/{id}/edit']", new() { ["title"] = "Park benches", ["probability"] = "70" });
        Assert.Equal("The deal was saved.", edited.Flash);
        Assert.Equal("Park benches", edited.Text("h1"));
        Assert.Contains("70%", edited.Text("dl.facts"), StringComparison.Ordinal);

        var reopenedByDetail = await browser.SubmitAsync(edited, $"form[action='/deals/{id}/move']", new() { ["stageId"] = ClosedLost.ToString(), ["reason"] = "Budget cut" });
        Assert.Equal($"/deals/{id}", new Uri(reopenedByDetail.Url).AbsolutePath);
        Assert.Equal(3, reopenedByDetail.Document.QuerySelectorAll("table.stage-history tbody tr").Length);
    }
}
