using System.Net;
using Aida.Features.Interactions.Notifications;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Aida.Tests.Features.Interactions.Pages;

/// <summary>The interaction screens through the no-JS browser: timeline, logging, notes, follow-ups, My activities, notifications, search.</summary>
public sealed class InteractionPagesTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    private const string Password = "a long enough password";

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task LogInteraction_FromTheTimeline_AppearsGroupedByDayInTheUsersZone(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repApi) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id, password: Password);
        var id = (await repApi.CreateOrganizationAsync(primaryContact: new { firstName = "Leslie", lastName = "Knope" })).GetProperty("id").GetGuid();
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);
        await SetTimeZoneAsync(browser, "Pacific/Auckland");

        var form = await browser.OpenAsync($"/customers/{id}/interactions/new");
        var logged = await browser.SubmitAsync(form, "form[action$='/interactions/new']", new()
        {
            ["interactionType"] = "meeting",
            ["direction"] = "inbound",
            ["occurredAt"] = "2026-11-30T08:15",
            ["durationMinutes"] = "45",
            ["subject"] = "Quarterly review",
            ["description"] = "Walked through the numbers.",
            ["outcome"] = "successful",
        });

        Assert.Equal(HttpStatusCode.OK, logged.Status);
        Assert.StartsWith("The interaction was logged.", logged.Flash, StringComparison.Ordinal);
        Assert.Equal("Quarterly review", logged.Text("h1"));
        var stored = (await (await repApi.GetAsync($"/api/v1/interactions?customerId={id}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("items")[0];
        // 08:15 in Auckland (UTC+13 in summer) is 19:15 UTC the day before.
        Assert.Equal(new DateTime(2026, 11, 29, 19, 15, 0, DateTimeKind.Utc), stored.GetProperty("occurredAt").GetDateTime().ToUniversalTime());
        Assert.Equal("manual", stored.GetProperty("source").GetString());

        var timeline = await browser.OpenAsync($"/customers/{id}?tab=timeline&types=interaction&from=2026-11-01");
        Assert.Equal(["Monday 30 November 2026"], timeline.Texts("section.day h3"));
        Assert.Contains("Quarterly review", timeline.Text("section.day li.entry-interaction"), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task LogInteraction_WithBadInput_KeepsWhatWasTypedAndStoresNothing(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repApi) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id, password: Password);
        var id = (await repApi.CreateOrganizationAsync()).GetProperty("id").GetGuid();
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);

        var refused = await browser.SubmitAsync(await browser.OpenAsync($"/customers/{id}/interactions/new"), "form[action$='/interactions/new']", new()
        {
            ["occurredAt"] = "2099-01-01T10:00",
            ["durationMinutes"] = "lots",
            ["subject"] = "Future call",
        });

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.NotNull(refused.FieldError("durationMinutes"));
        Assert.Equal("Future call", refused.Document.QuerySelector("input[name=subject]")?.GetAttribute("value"));
        var list = await (await repApi.GetAsync($"/api/v1/interactions?customerId={id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task CallCompleted_ThenFollowUpFromItsNotes_IsDueOnTheDayTheNotesSay(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repApi) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id, password: Password);
        var id = (await repApi.CreateOrganizationAsync(primaryContact: new { firstName = "Ann", lastName = "Perkins" })).GetProperty("id").GetGuid();
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);

        var timeline = await browser.OpenAsync($"/customers/{id}?tab=timeline");
        var afterCall = await browser.SubmitAsync(timeline, "form[action$='/interactions/call-completed']", new() { ["notes"] = "Wants pricing; call back in 3 days." });
        Assert.StartsWith("The call was logged.", afterCall.Flash, StringComparison.Ordinal);
        var call = afterCall.Document.QuerySelector("li.entry-interaction")!;
        Assert.Contains("Call completed", call.TextContent, StringComparison.Ordinal);

        var followUpLink = call.QuerySelector("a[href$='/follow-up']")!.GetAttribute("href")!;
        var form = await browser.OpenAsync(followUpLink);
        Assert.Contains("in 3 days", form.Text("p.hint-box"), StringComparison.Ordinal);
        Assert.Equal("call", form.Document.QuerySelector("select[name=activityType] option[selected]")?.GetAttribute("value"));
        var due = form.Document.QuerySelector("input[name=dueDate]")!.GetAttribute("value")!;
        Assert.Equal(DateTime.UtcNow.Date.AddDays(3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + "T09:00", due);

        var saved = await browser.SubmitAsync(form, "form[action$='/activities/new']", new() { ["reminder"] = "60" });
        Assert.Contains("is scheduled for", saved.Flash, StringComparison.Ordinal);
        var mine = await (await repApi.GetAsync("/api/v1/activities")).ExpectAsync(HttpStatusCode.OK);
        var activity = Assert.Single(mine.GetProperty("items").EnumerateArray());
        Assert.Equal(activity.GetProperty("dueDate").GetDateTime().AddHours(-1), activity.GetProperty("reminderAt").GetDateTime());
        Assert.Equal(call.Id!["entry-".Length..], activity.GetProperty("sourceInteractionId").GetString());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task MyActivities_ShowsOverdueTodayAndUpcoming_AndQuickCompleteLogsTheResult(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repApi) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id, password: Password);
        var id = (await repApi.CreateOrganizationAsync()).GetProperty("id").GetGuid();
        await CreateActivityAsync(repApi, id, "Late one", DateTimeOffset.UtcNow.AddDays(-2));
        await CreateActivityAsync(repApi, id, "Next month", DateTimeOffset.UtcNow.AddDays(30));
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);

        var page = await browser.OpenAsync("/activities");
        Assert.Equal(["Late one"], page.Texts(".activities-overdue li.overdue a strong"));
        Assert.Contains("Next month", page.Text(".activities-upcoming"), StringComparison.Ordinal);

        var done = await browser.SubmitAsync(page, ".activities-overdue form.quick-complete");
        Assert.StartsWith("Done.", done.Flash, StringComparison.Ordinal);
        Assert.Contains("Nothing overdue.", done.Text(".activities-overdue"), StringComparison.Ordinal);
        var interactions = await (await repApi.GetAsync($"/api/v1/interactions?customerId={id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Late one", Assert.Single(interactions.GetProperty("items").EnumerateArray()).GetProperty("subject").GetString());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Notes_PinnedFirst_PrivateHiddenFromTeammates_AndPiiWarnedWithoutTheNumber(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var team = (await app.TeamAsync()).Id;
        var (rep, repApi) = await app.UserAsync(Role.Rep, team, password: Password);
        var (mate, _) = await app.UserAsync(Role.Rep, team, password: Password);
        var id = (await repApi.CreateOrganizationAsync()).GetProperty("id").GetGuid();
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);

        var editor = await browser.OpenAsync($"/customers/{id}/notes/new");
        await browser.SubmitAsync(editor, "form[action$='/notes/new']", new() { ["title"] = "Gate code", ["content"] = "Use the *side* door.", ["visibility"] = "team", ["isPinned"] = "true" });
        await browser.SubmitAsync(editor, "form[action$='/notes/new']", new() { ["title"] = "My hunch", ["content"] = "They will churn.", ["visibility"] = "private" });
        var warned = await browser.SubmitAsync(editor, "form[action$='/notes/new']", new() { ["title"] = "Payment", ["content"] = "Card 4111 1111 1111 1111 for the deposit.", ["visibility"] = "team" });

        Assert.Contains("payment card number", warned.Flash, StringComparison.Ordinal);
        Assert.DoesNotContain("4111", warned.Flash, StringComparison.Ordinal);
        Assert.Equal(["Gate code"], warned.Texts("section.pinned li strong"));
        Assert.Equal("side", warned.Text("section.pinned .note-body em"));

        using var mateBrowser = await PageBrowser.SignedInAsync(app, mate, Password);
        var mateView = await mateBrowser.OpenAsync($"/customers/{id}?tab=timeline");
        Assert.Contains("Gate code", mateView.Html, StringComparison.Ordinal);
        Assert.Contains("Payment", mateView.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("My hunch", mateView.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("My hunch", (await mateBrowser.OpenAsync("/search?q=hunch")).Html, StringComparison.Ordinal);
        Assert.Contains("My hunch", (await browser.OpenAsync("/search?q=hunch")).Text("#notes-found + ul"), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Reminder_BecomesANotificationWithAnUnreadBadge_ThatOpensTheActivity(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repApi) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id, password: Password);
        var id = (await repApi.CreateOrganizationAsync()).GetProperty("id").GetGuid();
        var activity = await (await repApi.PostJsonAsync("/api/v1/activities", new
        {
            customerId = id, activityType = "call", subject = "Call about the contract", dueDate = DateTimeOffset.UtcNow.AddMinutes(30), reminderAt = DateTimeOffset.UtcNow.AddMinutes(-1),
        })).ExpectAsync(HttpStatusCode.Created);
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);
        Assert.Equal("", (await browser.OpenAsync("/customers")).Text(".notifications-link .badge"));

        await app.Services.GetRequiredService<ActivityReminders>().RunOnceAsync(CancellationToken.None);

        var page = await browser.OpenAsync("/customers");
        Assert.Equal("1", page.Text(".notifications-link .badge"));
        var list = await browser.OpenAsync("/notifications");
        Assert.Contains("Reminder: Call about the contract", list.Text("li.unread"), StringComparison.Ordinal);
        var opened = await browser.SubmitAsync(list, "li.unread form");
        Assert.EndsWith($"/activities/{activity.GetProperty("id").GetGuid()}", opened.Url, StringComparison.Ordinal);
        Assert.Equal("", opened.Text(".notifications-link .badge"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task GlobalSearch_FindsACallByAWordOfItsDescription_WithTheMatchMarked(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repApi) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id, password: Password);
        var id = (await repApi.CreateOrganizationAsync()).GetProperty("id").GetGuid();
        await (await repApi.PostJsonAsync("/api/v1/interactions", new { customerId = id, interactionType = "call", direction = "outbound", subject = "Check-in", description = "Discussed the <b>zeppelin</b> order." }))
            .ExpectAsync(HttpStatusCode.Created);
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);

        var results = await browser.OpenAsync("/search?q=zepp");

        var found = results.Document.QuerySelector("#interactions-found + ul li")!;
        Assert.Equal("zeppelin", found.QuerySelector("mark")?.TextContent);
        Assert.Null(found.QuerySelector("b")); // stored markup is never rendered as markup
        Assert.StartsWith("/interactions/", found.QuerySelector("a")!.GetAttribute("href"), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task UnmatchedMail_AManagerFindsTheCustomerAndAssignsIt_ARepSeesNoQueue(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var team = await app.TeamAsync();
        var (manager, managerApi) = await app.UserAsync(Role.Manager, team.Id, password: Password);
        var (rep, _) = await app.UserAsync(Role.Rep, team.Id, password: Password);
        var tag = Builders.Unique("Tq");
        var customer = (await managerApi.CreateOrganizationAsync($"{tag} Industries")).GetProperty("id").GetGuid();
        await (await app.Client.PostJsonAsync("/api/v1/communications", new
        {
            messageId = "<stranger-1@elsewhere.example>", from = "Stranger <someone@elsewhere.example>", to = new[] { "sales@ourco.example" },
            subject = "Question about pricing", bodyText = "Hello, what does it cost?",
        })).ExpectAsync(HttpStatusCode.Created);
        using var browser = await PageBrowser.SignedInAsync(app, manager, Password);

        var queue = await browser.OpenAsync("/communications/unmatched");
        Assert.Contains("Question about pricing", queue.Text("tbody"), StringComparison.Ordinal);
        var assign = await browser.OpenAsync(queue.Document.QuerySelector("tbody a")!.GetAttribute("href")!);
        var found = await browser.SubmitAsync(assign, "form[action$='/assign']", new() { ["customerId.search"] = tag }, button: "button[name=find]");
        var done = await browser.SubmitAsync(found, "form[action$='/assign']", new() { ["customerId"] = customer.ToString() });

        Assert.Equal("The message is logged with the customer.", done.Flash);
        Assert.Equal("Question about pricing", done.Text("h1"));
        Assert.Contains("Nothing waiting.", (await browser.OpenAsync("/communications/unmatched")).Text("main"), StringComparison.Ordinal);

        using var repBrowser = await PageBrowser.SignedInAsync(app, rep, Password);
        var repHome = await repBrowser.OpenAsync("/customers");
        Assert.Empty(repHome.Document.QuerySelectorAll("a[href='/communications/unmatched']"));
    }

    private static async Task SetTimeZoneAsync(PageBrowser browser, string zone)
    {
        var saved = await browser.SubmitAsync(await browser.OpenAsync("/account/profile"), "form[action='/account/profile']", new() { ["timeZone"] = zone });
        Assert.Equal(HttpStatusCode.OK, saved.Status);
    }

    private static async Task CreateActivityAsync(HttpClient api, Guid customerId, string subject, DateTimeOffset due) =>
        await (await api.PostJsonAsync("/api/v1/activities", new { customerId, activityType = "call", subject, dueDate = due })).ExpectAsync(HttpStatusCode.Created);
}
