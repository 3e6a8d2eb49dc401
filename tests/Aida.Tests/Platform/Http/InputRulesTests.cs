using System.Net;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;

namespace Aida.Tests.Platform.Http;

/// <summary>
/// The input rules every endpoint and page shares: one range of dates (1900-01-01 to 2200-12-31) for
/// query strings, bodies and forms; one rule for text (no control characters, no broken UTF-16); and
/// the security headers and request id on every answer, errors included. Each case here was once a 500
/// or a value stored that should not have been.
/// </summary>
public sealed class InputRulesTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    private const string Password = "a long enough password";

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task QueryDates_OutsideTheAcceptedRange_Are400NamingTheParameter(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = (await app.Client.CreateOrganizationAsync()).Id();

        (string Url, string Field)[] cases =
        [
            ($"/api/v1/customers/{customer}/timeline?to=0001-01-01", "to"),
            ($"/api/v1/customers/{customer}/timeline?from=9999-12-31T00:00:00Z", "from"),
            ("/api/v1/interactions?to=9999-12-31", "to"),
            ("/api/v1/forecast?from=9999-12-31", "from"),
            ("/api/v1/forecast?from=9999-12-01", "from"),
            ("/api/v1/forecast?period=quarter&from=9999-10-01", "from"),
            ("/api/v1/forecast?to=0001-01-01", "to"),
            ("/api/v1/analytics/lead-sources?to=9999-12-31", "to"),
            ("/api/v1/analytics/funnel?to=9999-12-31", "to"),
            ("/api/v1/analytics/time-in-stage?to=9999-12-31", "to"),
            ("/api/v1/analytics/win-rate?to=9999-12-31", "to"),
            ("/api/v1/deals?closeFrom=0001-01-01", "closeFrom"),
        ];
        foreach (var (url, field) in cases)
        {
            var problem = await (await app.Client.GetAsync(url)).ExpectProblemAsync(HttpStatusCode.BadRequest, field);
            Assert.Contains("1900-01-01", problem.GetProperty("errors").GetProperty(field)[0].GetString(), StringComparison.Ordinal);
        }

        // The edges themselves are fine, and so is the forecast's last quarter.
        await (await app.Client.GetAsync($"/api/v1/customers/{customer}/timeline?from=1900-01-01&to=2200-12-31")).ExpectAsync(HttpStatusCode.OK);
        await (await app.Client.GetAsync("/api/v1/forecast?period=quarter&from=2200-10-01")).ExpectAsync(HttpStatusCode.OK);
        await (await app.Client.GetAsync("/api/v1/analytics/win-rate?from=1900-01-01&to=2200-12-31")).ExpectAsync(HttpStatusCode.OK);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task BodyDates_OutsideTheAcceptedRange_Are400NamingTheFieldAndStoreNothing(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = (await app.Client.CreateOrganizationAsync()).Id();

        await (await app.Client.PostJsonAsync("/api/v1/deals", new { title = "Ancient", value = 10, currency = "USD", customerId = customer, expectedCloseOn = "0001-01-01" }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "expectedCloseOn");
        await (await app.Client.PostJsonAsync("/api/v1/activities", new { customerId = customer, activityType = "task", subject = "Far off", dueDate = "9999-12-31T00:00:00Z" }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "dueDate");
        await (await app.Client.PostJsonAsync("/api/v1/interactions", new { customerId = customer, interactionType = "call", direction = "outbound", occurredAt = "1899-12-31T23:59:59Z" }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "occurredAt");

        var deals = await (await app.Client.GetAsync($"/api/v1/deals?customerId={customer}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(deals.Items());
        var activities = await (await app.Client.GetAsync($"/api/v1/activities?customerId={customer}&assignee=anyone")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(activities.Items());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Text_WithControlCharactersOrLoneSurrogates_Is400NamingTheFieldEverywhere(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);

        // A lone surrogate inside a scoring rule's free-form condition value (once a 500).
        await (await app.Client.PostJsonAsync("/api/v1/lead-scoring-rules",
                """{"name": "Owner", "category": "demographic", "condition": {"field": "jobTitle", "operator": "contains", "value": "a\ud800b"}, "points": 5}"""))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "condition.value");
        await (await app.Client.PostJsonAsync("/api/v1/lead-scoring-rules",
                """{"name": "Owner", "category": "demographic", "condition": {"field": "country", "operator": "in", "values": ["a\ud800b"]}, "points": 5}"""))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "condition.values[0]");
        var rule = (await (await app.Client.PostJsonAsync("/api/v1/lead-scoring-rules", new
        {
            name = "Owner", category = "demographic", condition = new { field = "jobTitle", @operator = "contains", value = "owner" }, points = 20,
        })).ExpectAsync(HttpStatusCode.Created)).GetProperty("rule");
        var current = await app.Client.GetAsync($"/api/v1/lead-scoring-rules/{rule.Id()}");
        await (await app.Client.PatchJsonAsync($"/api/v1/lead-scoring-rules/{rule.Id()}",
                """{"condition": {"field": "jobTitle", "operator": "contains", "value": "\udc00"}}""", current.ETag()))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "condition.value");

        // NUL and other control characters in an integration's message (once stored as sent).
        foreach (var (field, body) in new[]
                 {
                     ("messageId", """{"messageId": "<a\u0000b@x.example>", "from": "x@x.example", "to": ["sales@ourco.example"], "subject": "Hi"}"""),
                     ("inReplyTo", """{"messageId": "<c@x.example>", "inReplyTo": "<d\u0007@x.example>", "from": "x@x.example", "to": ["sales@ourco.example"], "subject": "Hi"}"""),
                     ("bodyText", """{"messageId": "<e@x.example>", "from": "x@x.example", "to": ["sales@ourco.example"], "subject": "Hi", "bodyText": "line\u0000two"}"""),
                 })
        {
            await (await app.Client.PostJsonAsync("/api/v1/communications", body)).ExpectProblemAsync(HttpStatusCode.BadRequest, field);
        }

        // Line breaks and tabs in long text are still text.
        await (await app.Client.PostJsonAsync("/api/v1/communications",
            """{"messageId": "<f@x.example>", "from": "x@x.example", "to": ["sales@ourco.example"], "subject": "Hi", "bodyText": "line one\r\n\tline two"}"""))
            .ExpectAsync(HttpStatusCode.Created);

        // In the query string, too: a NUL cannot even be stored by PostgreSQL.
        await (await app.Client.GetAsync("/api/v1/customers?q=a%00b")).ExpectProblemAsync(HttpStatusCode.BadRequest, "q");
        await (await app.Client.GetAsync("/api/v1/search?q=%01")).ExpectProblemAsync(HttpStatusCode.BadRequest, "q");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ErrorsFromTheExceptionHandler_CarryTheSecurityHeadersAndRequestId(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);

        foreach (var response in new[]
                 {
                     await app.Client.GetAsync("/api/v1/customers?limit=abc"), // query binding
                     await app.Client.PostJsonAsync("/api/v1/customers", """{"type": "organization", """), // malformed JSON
                     await app.Client.PostJsonAsync("/api/v1/customers", """{"type": "organization", "displayName": 5}"""), // wrong type
                     await app.Client.GetAsync("/api/v1/customers?limit=-1"), // a handler's own 400, for comparison
                 })
        {
            await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
            Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(response.Headers.GetValues("X-Request-Id").Single()));
        }
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Pages_OutOfRangeDatesAndTamperedOwners_AreFieldErrorsNotServerErrors(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (rep, _) = await app.UserAsync(Role.Rep, (await app.TeamAsync()).Id, password: Password);
        using var browser = await PageBrowser.SignedInAsync(app, rep, Password);
        var customer = (await app.Client.CreateOrganizationAsync(name: Builders.Unique("Dated "))).Id();
        await (await app.Client.PatchJsonAsync($"/api/v1/customers/{customer}", new { ownerId = rep.Id },
            (await app.Client.GetAsync($"/api/v1/customers/{customer}")).ETag())).ExpectAsync(HttpStatusCode.OK);

        foreach (var query in new[] { "from=0001-01-01", "to=0001-01-01", "to=9999-12-31" })
        {
            var tab = await browser.OpenAsync($"/customers/{customer}?tab=timeline&{query}");
            Assert.True(tab.Status is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{query}: {tab.Status}");
            Assert.Contains("1900-01-01", tab.Html, StringComparison.Ordinal);
        }

        var entries = await browser.OpenAsync($"/customers/{customer}/timeline/entries?to=9999-12-31");
        Assert.True(entries.Status is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"entries: {entries.Status}");

        var forecast = await browser.OpenAsync("/forecast?from=9999-12-31");
        Assert.Equal(HttpStatusCode.BadRequest, forecast.Status);
        Assert.Contains("1900-01-01", forecast.Html, StringComparison.Ordinal);

        // A tampered owner, and a blank owner beside another error, re-render the form with the errors.
        var form = await browser.OpenAsync("/customers/new");
        var tampered = await browser.SubmitAsync(form, "form#customer-form", new()
        {
            ["type"] = "organization", ["displayName"] = Builders.Unique("Tampered "), ["ownerId"] = "not-a-guid",
        });
        Assert.Equal(HttpStatusCode.BadRequest, tampered.Status);
        Assert.False(string.IsNullOrEmpty(tampered.FieldError("ownerId")));

        var blankOwner = await browser.SubmitAsync(form, "form#customer-form", new()
        {
            ["type"] = "organization", ["displayName"] = "", ["ownerId"] = "",
        });
        Assert.Equal(HttpStatusCode.BadRequest, blankOwner.Status);
        Assert.False(string.IsNullOrEmpty(blankOwner.FieldError("displayName")));
    }
}
