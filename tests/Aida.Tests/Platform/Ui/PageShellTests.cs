using System.Net;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Aida.Tests.Platform.Ui;

/// <summary>What every page shares: the layout, error pages for people, global search, the profile, labelled forms.</summary>
public sealed class PageShellTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    private const string Password = "a long enough password";

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task UnknownPage_IsA404PageForBrowsers_WhileTheApiKeepsProblemJson(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, _) = await app.UserAsync(Role.Rep, password: Password);
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);

        var page = await browser.OpenAsync("/no/such/page");
        var api = await app.Client.GetAsync("/api/v1/no-such-thing");

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Equal("text/html", page.MediaType);
        Assert.Equal("Page not found", page.Text("h1"));
        Assert.NotNull(page.Document.QuerySelector("nav.primary a[href='/customers']"));
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task UnexpectedFailure_IsA500PageWithTheRequestIdToQuote_AndStoresNothing(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db, Data.AtomicityTests.QuietFaults);
        var (rep, repApi) = await app.UserAsync(Role.Rep, password: Password);
        var id = (await repApi.CreateOrganizationAsync()).GetProperty("id").GetGuid();
        await Data.AtomicityTests.InjectFaultOnAddressInsertAsync(app);
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);
        var form = await browser.OpenAsync($"/customers/{id}/addresses/new");

        var failed = await browser.SubmitAsync(form, "form.form", new() { ["streetLine1"] = "1 Broken Rd", ["city"] = "Faultline", ["country"] = "GB" });

        Assert.Equal(HttpStatusCode.InternalServerError, failed.Status);
        Assert.Equal("text/html", failed.MediaType);
        Assert.Equal("Something went wrong", failed.Text("h1"));
        Assert.Matches("^[0-9a-f]{32}$", failed.Text("main code"));
        Assert.Equal(0, (await (await repApi.GetAsync($"/api/v1/customers/{id}/addresses")).ExpectAsync(HttpStatusCode.OK)).GetProperty("items").GetArrayLength());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task PageWithoutThePermission_IsA403Page_NotTheSignInFormAgain(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (viewer, _) = await app.UserAsync(Role.Viewer, password: Password);
        using var browser = await PageBrowser.SignedInAsync(app, viewer, Password);

        var page = await browser.OpenAsync("/customers/new");

        Assert.Equal(HttpStatusCode.Forbidden, page.Status);
        Assert.Empty(page.Redirects);
        Assert.Equal("You do not have access", page.Text("h1"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task FormPostWithoutItsAntiforgeryToken_IsRefusedWithAPage_AndChangesNothing(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repApi) = await app.UserAsync(Role.Rep, password: Password);
        var id = (await repApi.CreateIndividualAsync()).GetProperty("id").GetGuid();
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);

        var forged = await browser.PostAsync($"/customers/{id}/status", [new("status", "churned")]);

        Assert.Equal(HttpStatusCode.BadRequest, forged.Status);
        Assert.Equal("text/html", forged.MediaType);
        Assert.Equal("prospect", (await (await repApi.GetAsync($"/api/v1/customers/{id}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task EveryPageFormPost_WithoutItsFormToken_IsRefusedBeforeItsHandlerRuns()
    {
        // Found by asking the server's routing, so a new button that posts without binding a form (and so without the
        // framework's own check) cannot slip through.
        var app = await fixture.AppFor(DatabaseKind.Sqlite);
        var (admin, _) = await app.UserAsync(Role.Admin, password: Password);
        using var browser = await PageBrowser.SignedInAsync(app, admin, Password);
        var posts = app.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods.Contains("POST") == true)
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is null)
            .Select(e => "/" + e.RoutePattern.RawText!.Trim('/'))
            .Where(route => !route.StartsWith("/api/", StringComparison.Ordinal))
            .Distinct()
            .ToList();
        Assert.Contains("/duplicates/{pairId:guid}/dismiss", posts);
        Assert.True(posts.Count > 40, $"only {posts.Count} page posts found");

        var accepted = new List<string>();
        foreach (var route in posts)
        {
            var page = await browser.PostAsync(Aida.Tests.Platform.Auth.PublicEndpointsTests.Concrete(route), [new("anything", "x")]);
            if (page.Status != HttpStatusCode.BadRequest)
            {
                accepted.Add($"{route} → {(int)page.Status}");
            }
        }

        Assert.True(accepted.Count == 0, "posted without a form token and not refused: " + string.Join(", ", accepted));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task GlobalSearch_FindsCustomersAndContactsInReach_AsAPageAndAsSuggestions(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repApi) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id, password: Password);
        var (_, otherApi) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id);
        var tag = Builders.Unique("Qx");
        var mine = (await repApi.CreateOrganizationAsync($"{tag} Paper", primaryContact: new { firstName = tag, lastName = "Scott" })).GetProperty("id").GetGuid();
        await otherApi.CreateOrganizationAsync($"{tag} Hidden");
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);

        var results = await browser.OpenAsync($"/search?q={tag}");
        var suggestions = await browser.OpenAsync($"/search/suggestions?q={tag}", new Dictionary<string, string> { ["HX-Request"] = "true" });

        Assert.Equal([$"{tag} Paper"], results.Texts("#customers-found + ul li a"));
        Assert.Equal($"{tag} Scott", results.Text("#contacts-found + ul li a"));
        Assert.DoesNotContain("Hidden", results.Html, StringComparison.Ordinal);
        Assert.Contains(suggestions.Document.QuerySelectorAll("a"), a => a.GetAttribute("href") == $"/customers/{mine}");
        Assert.DoesNotContain("<html", suggestions.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Hidden", suggestions.Html, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Profile_TimeZoneChangesHowTimesAreShown_AndANewPasswordReplacesTheOld(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, repApi) = await app.UserAsync(Role.Rep, password: Password);
        var customer = await repApi.CreateIndividualAsync();
        var created = customer.GetProperty("createdAt").GetDateTime().ToUniversalTime();
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);

        var badZone = await browser.SubmitAsync(await browser.OpenAsync("/account/profile"), "form[action='/account/profile']", new() { ["timeZone"] = "Mars/Olympus" });
        Assert.Equal(HttpStatusCode.BadRequest, badZone.Status);
        Assert.Contains("not a known time zone", badZone.FieldError("timeZone"), StringComparison.Ordinal);
        var saved = await browser.SubmitAsync(badZone, "form[action='/account/profile']", new() { ["timeZone"] = "Asia/Tokyo" });
        Assert.Equal("Your profile was saved.", saved.Flash);
        var detail = await browser.OpenAsync($"/customers/{customer.GetProperty("id").GetGuid()}");
        var tokyo = TimeZoneInfo.ConvertTimeFromUtc(created, TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo"));
        Assert.Contains(tokyo.ToString("d MMM yyyy, HH:mm", System.Globalization.CultureInfo.InvariantCulture), detail.Text("dl.facts"), StringComparison.Ordinal);

        var wrong = await browser.SubmitAsync(saved, "form[action='/account/password']", new() { ["currentPassword"] = "not it at all", ["newPassword"] = "another long password", ["confirmPassword"] = "another long password" });
        Assert.Equal("Is not your current password.", wrong.FieldError("currentPassword"));
        var changed = await browser.SubmitAsync(wrong, "form[action='/account/password']", new() { ["currentPassword"] = Password, ["newPassword"] = "another long password", ["confirmPassword"] = "another long password" });
        Assert.StartsWith("Your password was changed.", changed.Flash, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await browser.OpenAsync("/customers")).Status);

        using var withOld = new PageBrowser(app);
        var refused = await withOld.SubmitAsync(await withOld.OpenAsync("/signin"), "form[action='/signin']", new() { ["email"] = rep.Email, ["password"] = Password });
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        using var withNew = await PageBrowser.SignedInAsync(app, rep, "another long password");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task EveryFieldOfEveryScreen_HasALabel(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (admin, adminApi) = await app.UserAsync(Role.Admin, password: Password);
        var org = (await adminApi.CreateOrganizationAsync(primaryContact: new { firstName = "Mark", lastName = "Brendanawicz" },
            addresses: [new { addressType = "headquarters", streetLine1 = "1 Main St", city = "Pawnee", country = "US" }])).GetProperty("id").GetGuid();
        var contact = (await (await adminApi.GetAsync($"/api/v1/customers/{org}/contacts")).ExpectAsync(HttpStatusCode.OK)).GetProperty("items")[0].GetProperty("id").GetGuid();
        var address = (await (await adminApi.GetAsync($"/api/v1/customers/{org}/addresses")).ExpectAsync(HttpStatusCode.OK)).GetProperty("items")[0].GetProperty("id").GetGuid();
        var call = (await (await adminApi.PostJsonAsync("/api/v1/interactions", new { customerId = org, interactionType = "call", direction = "outbound", subject = "Budget call" }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var note = (await (await adminApi.PostJsonAsync("/api/v1/notes", new { customerId = org, content = "Likes **waffles**." }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var task = (await (await adminApi.PostJsonAsync("/api/v1/activities", new { customerId = org, activityType = "task", subject = "Send the deck", dueDate = DateTimeOffset.UtcNow.AddDays(1) }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await (await adminApi.PostJsonAsync("/api/v1/leads", new { firstName = "April", email = "april@example.com" })).ExpectAsync(HttpStatusCode.Created);
        var webForm = (await (await adminApi.PostJsonAsync("/api/v1/lead-forms", new { name = "Contact us", fields = new[] { new { name = "email" }, new { name = "timeline" } } }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var lead = (await (await adminApi.PostJsonAsync("/api/v1/leads", new { email = "lead@pawnee.example" })).ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var scoringRule = (await (await adminApi.PostJsonAsync("/api/v1/lead-scoring-rules", new { name = "UK", category = "demographic", condition = new { field = "country", @operator = "equals", value = "GB" }, points = 10 }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("rule").GetProperty("id").GetGuid();
        var routingRule = (await (await adminApi.PostJsonAsync("/api/v1/lead-routing-rules", new { name = "All", action = "assign_user", userId = admin.Id }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var deal = (await (await adminApi.PostJsonAsync("/api/v1/deals", new { title = "Waffle franchise", value = 5000, currency = "USD", customerId = org }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var convertible = (await (await adminApi.PostJsonAsync("/api/v1/leads", new { firstName = "Ann", lastName = "Perkins", email = "ann@perkins.example", company = "Perkins Care" }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        using var browser = await PageBrowser.SignedInAsync(app, admin, Password);
        string[] screens =
        [
            "/leads", "/leads/new", "/settings/forms", "/settings/forms/new", $"/settings/forms/{webForm}",
            $"/leads/{lead}", "/settings/lead-scoring", $"/settings/lead-scoring/{scoringRule}", "/settings/lead-routing", $"/settings/lead-routing/{routingRule}",
            "/deals", "/deals/new", $"/deals/new?customerId={org}", $"/deals/{deal}", $"/deals/{deal}/edit",
            $"/leads/{convertible}/convert", "/forecast",
            $"/customers/{org}?tab=timeline", $"/customers/{org}/interactions/new", $"/interactions/{call}", $"/interactions/{call}/edit",
            $"/interactions/{call}/follow-up", $"/customers/{org}/notes/new", $"/notes/{note}/edit", $"/customers/{org}/activities/new",
            "/activities", $"/activities/{task}", "/notifications", "/communications/unmatched",
            "/", "/customers", "/customers/new", $"/customers/{org}", $"/customers/{org}?tab=contacts", $"/customers/{org}?tab=addresses",
            $"/customers/{org}?tab=relationships", $"/customers/{org}?tab=history", $"/customers/{org}/edit", $"/customers/{org}/contacts/new",
            $"/customers/{org}/contacts/{contact}/edit", $"/customers/{org}/addresses/new", $"/customers/{org}/addresses/{address}/edit",
            $"/customers/{org}/account/edit", $"/customers/{org}/hierarchy", $"/customers/{org}/delete", "/contacts", "/contacts/new",
            "/search?q=Mark", "/account/profile", "/account/tokens",
        ];

        foreach (var url in screens)
        {
            var page = await browser.OpenAsync(url);
            Assert.True(page.Status == HttpStatusCode.OK, $"{url}: {(int)page.Status}");
            Assert.Single(page.Document.QuerySelectorAll("h1"));
            Assert.Equal("en", page.Document.DocumentElement.GetAttribute("lang"));
            foreach (var field in page.Document.QuerySelectorAll("input:not([type=hidden]), select, textarea"))
            {
                var id = field.GetAttribute("id");
                var labelled = field.HasAttribute("aria-label")
                    || (id is not null && page.Document.QuerySelector($"label[for='{id}']") is not null)
                    || field.Closest("label") is not null;
                Assert.True(labelled, $"{url}: {field.OuterHtml} has no label");
            }

            var ids = page.Document.QuerySelectorAll("[id]").Select(e => e.Id).ToList();
            Assert.True(ids.Count == ids.Distinct().Count(), $"{url}: duplicate element ids");
        }
    }
}
