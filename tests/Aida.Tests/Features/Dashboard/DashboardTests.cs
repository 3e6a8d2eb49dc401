using System.Globalization;
using System.Net;
using System.Text.Json;
using Aida.Features.Deals;
using Aida.Features.Interactions.Activities;
using Aida.Features.Leads;
using Aida.Platform.Auth;
using Aida.Tests.Features.Deals;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Dashboard;

/// <summary>
/// The CRM dashboard (GET /api/v1/dashboard and the home page): exact figures from known data, each in the viewer's
/// reach, and each figure on the page linking to a list that shows the same number. Every test has a server of its
/// own, so an administrator's figures are this test's data alone.
/// </summary>
public sealed class DashboardTests
{
    private const string Password = "dashboard-pass-1234";

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Dashboard_CountsWhatEachViewerReaches_InTheirPeriodAndTimeZone(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        var world = await World.BuildAsync(app);

        var rep = await GetAsync(world.RepAClient, "/api/v1/dashboard");

        var period = rep.GetProperty("period");
        Assert.Equal("month", period.Str("name"));
        Assert.Equal(world.Zone, period.Str("timeZone"));
        Assert.Equal(new DateOnly(world.LocalToday.Year, world.LocalToday.Month, 1), DateOnly.Parse(period.Str("from"), CultureInfo.InvariantCulture));

        var activities = rep.GetProperty("activities");
        Assert.Equal((1, 1), (activities.GetProperty("overdue").GetInt32(), activities.GetProperty("dueToday").GetInt32()));
        Assert.Equal(["Overdue call", "Call later today"], activities.GetProperty("next").EnumerateArray().Select(a => a.Str("subject")).ToArray());

        var leads = rep.GetProperty("leads");
        // Rep A's: two new this month (one converted) and an active one from last year; B's and the unassigned are out of
        // reach, and a rep is not told how many unassigned leads there are.
        Assert.Equal((2, 1, 0.5m, null, 2), LeadFigures(leads));

        var pipeline = rep.GetProperty("pipeline");
        Assert.Equal("EUR", pipeline.Str("currency"));
        var stages = pipeline.GetProperty("stages").EnumerateArray().Where(s => s.GetProperty("deals").GetInt32() > 0)
            .ToDictionary(s => s.Str("code"), s => s.GetProperty("value").GetDecimal());
        Assert.Equal(new Dictionary<string, decimal> { ["initial_contact"] = 1000m, ["negotiation"] = 2000m }, stages);

        var forecast = rep.GetProperty("forecast");
        // Expected this month: only the 1,000 at initial contact (10%); the negotiation closes next year. Won: 500 today.
        Assert.Equal((1, 1000m, 100m, 0m, 1, 500m), ForecastFigures(forecast));

        var changes = rep.GetProperty("changes");
        Assert.Equal("owned", changes.Str("scope"));
        var changed = changes.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("customerId").GetGuid()).ToList();
        Assert.Contains(world.CustomerA, changed);
        Assert.DoesNotContain(world.CustomerB, changed);
        // A teammate's customer is in rep A's reach, but not rep A's own.
        Assert.DoesNotContain(world.TeammatesCustomer, changed);

        // The administrator reaches everything and owns no customer: the unassigned leads count, changes are everyone's.
        var admin = await GetAsync(app.Client, "/api/v1/dashboard");
        Assert.Equal((5, 1, 0.2m, 2, 0), LeadFigures(admin.GetProperty("leads")));
        // Both reps' EUR deals expected this month: 1,000 at 10% and 3,000 qualified at 25%; USD is the rarer currency.
        Assert.Equal((2, 4000m, 850m, 0m, 1, 500m), ForecastFigures(admin.GetProperty("forecast")));
        Assert.Equal("reach", admin.GetProperty("changes").Str("scope"));
        Assert.Contains(world.CustomerB, admin.GetProperty("changes").GetProperty("items").EnumerateArray().Select(c => c.GetProperty("customerId").GetGuid()));
        Assert.Equal((0, 0), (admin.GetProperty("activities").GetProperty("overdue").GetInt32(), admin.GetProperty("activities").GetProperty("dueToday").GetInt32()));

        // The year holds last year's lead only if it was created this year: it was not.
        var year = await GetAsync(world.RepAClient, "/api/v1/dashboard?period=year");
        Assert.Equal(new DateOnly(world.LocalToday.Year, 1, 1), DateOnly.Parse(year.GetProperty("period").Str("from"), CultureInfo.InvariantCulture));
        Assert.Equal(2, year.GetProperty("leads").GetProperty("new").GetInt32());
        var day = await GetAsync(world.RepAClient, "/api/v1/dashboard?period=day");
        Assert.Equal(world.LocalToday, DateOnly.Parse(day.GetProperty("period").Str("to"), CultureInfo.InvariantCulture));

        await (await world.RepAClient.GetAsync("/api/v1/dashboard?period=fortnight")).ExpectProblemAsync(HttpStatusCode.BadRequest, "period");
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous.GetAsync("/api/v1/dashboard")).StatusCode);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task HomePage_ShowsTheFigures_AndEachLinksToAListOfThatSize(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        var world = await World.BuildAsync(app);
        using var browser = await PageBrowser.SignedInAsync(app, world.RepA, Password);

        var home = await browser.OpenAsync("/");

        Assert.Equal(HttpStatusCode.OK, home.Status);
        Assert.Equal($"Hello, {world.RepA.DisplayName}", home.Text("h1"));
        Assert.Equal("1", home.Text("a[href='/activities#section-overdue']"));
        Assert.Equal(["Overdue call", "Call later today"], home.Document.QuerySelectorAll("a[href^='/activities/']").Select(a => a.TextContent.Trim()).ToArray());
        Assert.Contains("EUR 1,000.00", home.Html, StringComparison.Ordinal);
        Assert.NotNull(home.Document.QuerySelector("svg[role=img] rect.bar-won"));

        var newLeads = home.Document.QuerySelector("a[href^='/leads?createdFrom=']:not([href*='status'])")!;
        Assert.Equal("2", newLeads.TextContent.Trim());
        var list = await browser.OpenAsync(newLeads.GetAttribute("href")!);
        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.Equal(2, list.Document.QuerySelectorAll("#lead-results tbody tr").Length);
        var converted = home.Document.QuerySelector("a[href^='/leads?createdFrom='][href*='status=converted']")!;
        Assert.Equal("1", converted.TextContent.Trim());
        Assert.Single((await browser.OpenAsync(converted.GetAttribute("href")!)).Document.QuerySelectorAll("#lead-results tbody tr"));
        Assert.Null(home.Document.QuerySelector("a[href*='assignedTo=none']"));
        var mine = home.Document.QuerySelector("a[href='/leads?status=active&assignedTo=me']")!;
        Assert.Equal("2", mine.TextContent.Trim());
        Assert.Equal(2, (await browser.OpenAsync(mine.GetAttribute("href")!)).Document.QuerySelectorAll("#lead-results tbody tr").Length);

        var quarter = await browser.OpenAsync("/?period=quarter");
        Assert.Equal("quarter", quarter.Document.QuerySelector("select[name=period] option[selected]")?.GetAttribute("value"));
        var bad = await browser.OpenAsync("/?period=fortnight");
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.NotNull(bad.FieldError("period"));
    }

    private static (int New, int Converted, decimal? Rate, int? Unassigned, int Mine) LeadFigures(JsonElement leads) => (
        leads.GetProperty("new").GetInt32(),
        leads.GetProperty("converted").GetInt32(),
        leads.GetProperty("conversionRate").ValueKind == JsonValueKind.Null ? null : leads.GetProperty("conversionRate").GetDecimal(),
        leads.GetProperty("unassigned").ValueKind == JsonValueKind.Null ? null : leads.GetProperty("unassigned").GetInt32(),
        leads.GetProperty("mine").GetInt32());

    private static (int, decimal, decimal, decimal, int, decimal) ForecastFigures(JsonElement f) => (
        f.GetProperty("expectedDeals").GetInt32(), f.GetProperty("bestCase").GetDecimal(), f.GetProperty("weighted").GetDecimal(),
        f.GetProperty("commit").GetDecimal(), f.GetProperty("wonDeals").GetInt32(), f.GetProperty("closedWon").GetDecimal());

    private static async Task<JsonElement> GetAsync(HttpClient client, string url) =>
        await (await client.GetAsync(url)).ExpectAsync(HttpStatusCode.OK);

    /// <summary>
    /// Two reps in different teams, each owning a customer, with activities, leads and deals whose figures the tests work
    /// out by hand. Rep A lives in a time zone where it is about noon, so "today" and "this month" cannot slip to the
    /// next day between setting up and asking.
    /// </summary>
    private sealed record World(User RepA, HttpClient RepAClient, Guid CustomerA, Guid CustomerB, Guid TeammatesCustomer, string Zone, DateOnly LocalToday)
    {
        public static async Task<World> BuildAsync(AidaApp app)
        {
            var deals = await DealScenario.BuildAsync(app);
            var (repA, repAClient) = await app.UserAsync(Role.Rep, await app.QueryAsync(d => d.Set<User>().Where(u => u.Id == deals.RepA.Id).Select(u => u.TeamId).SingleAsync()), password: Password);
            var now = DateTime.UtcNow;
            var hours = Math.Clamp(12 - now.Hour, -12, 14);
            var zone = hours == 0 ? "Etc/GMT" : hours > 0 ? $"Etc/GMT-{hours}" : $"Etc/GMT+{-hours}";
            var local = TimeZoneInfo.ConvertTimeFromUtc(now, TimeZoneInfo.FindSystemTimeZoneById(zone));
            var today = DateOnly.FromDateTime(local);
            var endOfToday = now.Add(local.Date.AddDays(1) - local);
            await app.QueryAsync(d => d.Set<User>().Where(u => u.Id == repA.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.TimeZone, zone)));
            // The customers and deals are rep A's teammate's in DealScenario; this rep owns customer A from here on.
            await app.QueryAsync(d => d.Set<Aida.Features.Customers.Customer>().Where(c => c.Id == deals.CustomerA).ExecuteUpdateAsync(s => s.SetProperty(c => c.OwnerId, repA.Id)));
            var current = await app.Client.GetAsync($"/api/v1/customers/{deals.CustomerA}");
            var patched = await app.Client.PatchJsonAsync($"/api/v1/customers/{deals.CustomerA}", new { displayName = "Customer A renamed" }, current.ETag());
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);

            await app.QueryAsync(async d =>
            {
                d.AddRange(
                    Activity(deals.CustomerA, repA.Id, "Overdue call", now.AddDays(-1), ActivityStatus.Pending),
                    Activity(deals.CustomerA, repA.Id, "Done yesterday", now.AddDays(-1), ActivityStatus.Completed),
                    Activity(deals.CustomerA, repA.Id, "Call later today", now + ((endOfToday - now) / 2), ActivityStatus.Pending),
                    Activity(deals.CustomerA, repA.Id, "Next week", now.AddDays(7), ActivityStatus.Pending),
                    Activity(deals.CustomerB, deals.RepB.Id, "Rep B's overdue call", now.AddDays(-1), ActivityStatus.Pending),
                    Lead("a1", repA.Id, LeadStatus.Active),
                    Lead("a2", repA.Id, LeadStatus.Converted, convertedTo: deals.CustomerA),
                    Lead("b1", deals.RepB.Id, LeadStatus.Active),
                    Lead("u1", null, LeadStatus.Active),
                    Lead("u2", null, LeadStatus.Active),
                    Lead("old", repA.Id, LeadStatus.Active));
                await d.SaveChangesAsync();
                var lastYear = new DateTime(now.Year - 1, 6, 1, 12, 0, 0, DateTimeKind.Utc);
                return await d.Set<Lead>().Where(l => l.Email == "old@dashboard.example").ExecuteUpdateAsync(s => s.SetProperty(l => l.CreatedAt, lastYear));
            });

            await deals.DealAsync(deals.CustomerA, repA.Id, "initial_contact", 1000m, "EUR", today);
            await deals.DealAsync(deals.CustomerA, repA.Id, "negotiation", 2000m, "EUR", today.AddDays(400));
            await deals.DealAsync(deals.CustomerA, repA.Id, "closed_won", 500m, "EUR", today, closedAt: now.AddMinutes(-1));
            await deals.DealAsync(deals.CustomerB, deals.RepB.Id, "qualified", 3000m, "EUR", today);
            await deals.DealAsync(deals.CustomerB, deals.RepB.Id, "closed_won", 700m, "USD", today, closedAt: now.AddMinutes(-1));
            var teammates = (await app.Client.CreateIndividualAsync(ownerId: deals.RepA.Id)).Id();
            return new World(repA, repAClient, deals.CustomerA, deals.CustomerB, teammates, zone, today);
        }

        private static Activity Activity(Guid customerId, Guid assignee, string subject, DateTime due, ActivityStatus status) => new()
        {
            CustomerId = customerId,
            ActivityType = ActivityType.Call,
            Subject = subject,
            DueDate = due,
            Status = status,
            CompletedAt = status == ActivityStatus.Completed ? due : null,
            AssignedTo = assignee,
            CreatedBy = assignee,
        };

        private static Lead Lead(string name, Guid? assignee, LeadStatus status, Guid? convertedTo = null) => new()
        {
            ConvertedCustomerId = convertedTo,
            ConvertedAt = convertedTo is null ? null : DateTime.UtcNow,
            FirstName = name,
            LastName = "Dashboard",
            Email = $"{name}@dashboard.example",
            SourceType = LeadSourceType.Api,
            Status = status,
            AssignedTo = assignee,
            LastCapturedAt = DateTime.UtcNow,
        };
    }
}
