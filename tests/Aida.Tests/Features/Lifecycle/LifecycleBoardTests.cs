using System.Net;
using Aida.Features.Lifecycle;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Lifecycle;

/// <summary>
/// The AIDA board and a stage's customers (counts and lists in the viewer's reach, paged), and the
/// administrator's lifecycle settings: stages, the transition matrix and the inactivity rule, by page and API.
/// </summary>
public sealed class LifecycleBoardTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    private const string Password = "board-password-1";

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task TheBoard_AndAStagesCustomers_CountAndListOnlyTheViewersReach(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var team = await app.TeamAsync();
        var (rep, repClient) = await app.UserAsync(Role.Rep, team.Id, password: Password);
        var first = await CreateActiveAsync(repClient);
        var second = await CreateActiveAsync(repClient);
        var prospect = (await repClient.CreateIndividualAsync()).Id();
        // Someone else's customer: on the administrator's board, never on the rep's.
        await CreateActiveAsync(app.Client);

        var stats = await (await repClient.GetAsync("/api/v1/customers/lifecycle/stats")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(3, stats.GetProperty("total").GetInt32());

        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);
        var board = await browser.OpenAsync("/lifecycle");
        Assert.Equal(HttpStatusCode.OK, board.Status);
        Assert.Equal("3 customers in your reach.", board.Text("#aida-total"));
        Assert.Equal("2", board.Document.QuerySelector("#phase-retain .phase-count strong")!.GetAttribute("data-count"));
        Assert.Equal("1", board.Document.QuerySelector("#phase-connect .phase-count strong")!.GetAttribute("data-count"));
        Assert.Equal("2", board.Document.QuerySelector("li[data-stage-code='customer'] .stage-count")!.GetAttribute("data-count"));
        // Only approvers see the approvals link; only administrators the settings.
        Assert.Null(board.Document.QuerySelector("a[href='/lifecycle/approvals']"));
        Assert.Null(board.Document.QuerySelector(".page-links a[href='/settings/lifecycle']"));

        var column = await browser.OpenAsync($"/lifecycle/stages/{LifecycleStage.CustomerId}");
        Assert.Equal(
            new[] { $"/customers/{first}?tab=lifecycle", $"/customers/{second}?tab=lifecycle" },
            column.Document.QuerySelectorAll("#stage-customers a").Select(a => a.GetAttribute("href")).ToArray());
        Assert.Equal(HttpStatusCode.NotFound, (await browser.OpenAsync($"/lifecycle/stages/{Guid.CreateVersion7()}")).Status);

        // The API pages the same list, longest in the stage first.
        var page1 = await (await repClient.GetAsync($"/api/v1/lifecycle/stages/{LifecycleStage.CustomerId}/customers?limit=1")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(first, Assert.Single(page1.Items()).GetProperty("customerId").GetGuid());
        var cursor = page1.Str("nextCursor");
        var page2 = await (await repClient.GetAsync($"/api/v1/lifecycle/stages/{LifecycleStage.CustomerId}/customers?limit=1&cursor={Uri.EscapeDataString(cursor!)}"))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(second, Assert.Single(page2.Items()).GetProperty("customerId").GetGuid());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, page2.GetProperty("nextCursor").ValueKind);
        var prospects = await (await repClient.GetAsync($"/api/v1/lifecycle/stages/{LifecycleStage.ProspectId}/customers")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(prospect, Assert.Single(prospects.Items()).GetProperty("customerId").GetGuid());
        await (await repClient.GetAsync($"/api/v1/lifecycle/stages/{LifecycleStage.CustomerId}/customers?limit=0")).ExpectProblemAsync(HttpStatusCode.BadRequest, "limit");
        await (await repClient.GetAsync($"/api/v1/lifecycle/stages/{Guid.CreateVersion7()}/customers")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task AnAdministrator_EditsStagesAndAllowedMovesOnTheSettingsPage_AndOthersCannot(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (admin, _) = await app.UserAsync(Role.Admin, password: Password);
        using var browser = await PageBrowser.SignedInAsync(app, admin, Password);
        var settings = await browser.OpenAsync("/settings/lifecycle");
        Assert.Equal(HttpStatusCode.OK, settings.Status);
        Assert.Equal("Lifecycle settings", settings.Text("h1"));

        var name = "Onboarding " + Guid.NewGuid().ToString("N")[..6];
        var added = await browser.SubmitAsync(settings, "form[action='/settings/lifecycle/stages']",
            new() { ["name"] = name, ["category"] = "customer", ["phase"] = "retain", ["color"] = "#123456", ["isActive"] = "true" });
        Assert.StartsWith($"The stage {name} was added", added.Flash, StringComparison.Ordinal);
        var stage = await app.QueryAsync(d => d.Set<LifecycleStage>().SingleAsync(s => s.Name == name));
        Assert.Equal((StageCategory.Customer, AidaPhase.Retain, "#123456"), (stage.Category, stage.Phase, stage.Color));

        // A stage without a category is refused with the field's message, and nothing is added.
        var refused = await browser.SubmitAsync(added, "form[action='/settings/lifecycle/stages']", new() { ["name"] = name + " 2", ["phase"] = "retain" });
        Assert.Contains("Is required: pre_customer, customer or post_customer.", refused.Flash, StringComparison.Ordinal);
        Assert.False(await app.QueryAsync(d => d.Set<LifecycleStage>().AnyAsync(s => s.Name == name + " 2")));

        var edit = await browser.OpenAsync($"/settings/lifecycle?edit={stage.Id}");
        var saved = await browser.SubmitAsync(edit, $"form[action='/settings/lifecycle/stages/{stage.Id}']", new() { ["name"] = name + " (new)", ["isActive"] = null });
        Assert.Equal("The stage was saved.", saved.Flash);
        var renamed = await app.QueryAsync(d => d.Set<LifecycleStage>().AsNoTracking().SingleAsync(s => s.Id == stage.Id));
        Assert.Equal((name + " (new)", false), (renamed.Name, renamed.IsActive));

        // The matrix: allow Customer → the new stage with approval; every other pair keeps its value.
        var before = await app.QueryAsync(d => d.Set<StageTransitionRule>().CountAsync());
        var matrix = await browser.OpenAsync("/settings/lifecycle");
        var movesSaved = await browser.SubmitAsync(matrix, "form[action='/settings/lifecycle/transitions']",
            new() { [$"move.{LifecycleStage.CustomerId}.{stage.Id}"] = "approval" });
        Assert.Equal($"The transition rules were saved: {before + 1} allowed moves.", movesSaved.Flash);
        var rule = await app.QueryAsync(d => d.Set<StageTransitionRule>().SingleAsync(r => r.FromStageId == LifecycleStage.CustomerId && r.ToStageId == stage.Id));
        Assert.True(rule.RequiresApproval);
        Assert.Equal("approval", movesSaved.Document.QuerySelector($"select[name='move.{LifecycleStage.CustomerId}.{stage.Id}'] option[selected]")!.GetAttribute("value"));

        var deleted = await browser.SubmitAsync(movesSaved, $"form[action='/settings/lifecycle/stages/{stage.Id}/delete']");
        Assert.Equal("The stage and its transition rules were deleted.", deleted.Flash);
        Assert.False(await app.QueryAsync(d => d.Set<StageTransitionRule>().AnyAsync(r => r.ToStageId == stage.Id)));

        var (manager, _) = await app.UserAsync(Role.Manager, password: Password);
        using var managerBrowser = await PageBrowser.SignedInAsync(app, manager, Password);
        Assert.Equal(HttpStatusCode.Forbidden, (await managerBrowser.OpenAsync("/settings/lifecycle")).Status);
        var managersBoard = await managerBrowser.OpenAsync("/lifecycle");
        Assert.NotNull(managersBoard.Document.QuerySelector("a[href='/lifecycle/approvals']"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task TheInactivityRule_IsSetByAdministrators_WithinItsBounds(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        var current = await (await app.Client.GetAsync("/api/v1/lifecycle/settings")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(LifecycleSettings.DefaultChurnAfterDays, current.GetProperty("churnAfterDays").GetInt32());
        var etag = $"\"{current.GetProperty("version").GetInt32()}\"";

        await (await app.Client.SendJsonAsync(HttpMethod.Patch, "/api/v1/lifecycle/settings", new { churnAfterDays = 3 }, etag))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "churnAfterDays");
        await (await app.Client.SendJsonAsync(HttpMethod.Patch, "/api/v1/lifecycle/settings", new { churnAfterDays = 30 }, "soon"))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "If-Match");
        var (_, repClient) = await app.UserAsync(Role.Rep);
        await (await repClient.SendJsonAsync(HttpMethod.Patch, "/api/v1/lifecycle/settings", new { churnAfterDays = 30 }, etag))
            .ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(LifecycleSettings.DefaultChurnAfterDays, await app.QueryAsync(d => d.Set<LifecycleSettings>().Select(s => s.ChurnAfterDays).SingleAsync()));

        var off = await (await app.Client.SendJsonAsync(HttpMethod.Patch, "/api/v1/lifecycle/settings", new { churnAfterDays = (int?)null }, etag))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, off.GetProperty("churnAfterDays").ValueKind);
        await (await app.Client.SendJsonAsync(HttpMethod.Patch, "/api/v1/lifecycle/settings", new { churnAfterDays = 60 }, etag))
            .ExpectProblemAsync(HttpStatusCode.PreconditionFailed);

        var (admin, _) = await app.UserAsync(Role.Admin, password: Password);
        using var browser = await PageBrowser.SignedInAsync(app, admin, Password);
        var page = await browser.OpenAsync("/settings/lifecycle");
        var saved = await browser.SubmitAsync(page, "form[action='/settings/lifecycle/inactivity']", new() { ["enabled"] = "true", ["churnAfterDays"] = "90" });
        Assert.Equal("Customers with no purchase and no interaction for 90 days will move to Churned.", saved.Flash);
        var tooShort = await browser.SubmitAsync(saved, "form[action='/settings/lifecycle/inactivity']", new() { ["enabled"] = "true", ["churnAfterDays"] = "2" });
        Assert.Contains("Must be between 7 and 3650 days", tooShort.Flash, StringComparison.Ordinal);
        Assert.Equal(90, await app.QueryAsync(d => d.Set<LifecycleSettings>().Select(s => s.ChurnAfterDays).SingleAsync()));
    }

    internal static async Task<Guid> CreateActiveAsync(HttpClient client) =>
        (await (await client.PostJsonAsync("/api/v1/customers?allowDuplicate=true", new { type = "individual", displayName = Builders.Unique("Active") + " Customer", status = "active" }))
            .ExpectAsync(HttpStatusCode.Created)).Id();
}
