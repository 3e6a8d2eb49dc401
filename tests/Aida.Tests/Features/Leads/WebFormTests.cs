using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Aida.Features.Leads;
using Aida.Features.Leads.Forms;
using Aida.Platform.Auth;
using Aida.Platform.Events;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Leads;

/// <summary>
/// Web forms, on a server shared by the class (except where a test needs other settings): each test posts
/// from its own address (the per-address limit starts afresh), as visitors with their own email addresses
/// (capture matches across the CRM), and counts leads and events from its start.
/// </summary>
public sealed class WebFormTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    private const string Site = "https://shop.example.com";

    private static async Task<JsonElement> CreateFormAsync(AidaApp app, string[]? origins = null, string? redirect = "https://shop.example.com/thanks", bool active = true, string name = "Pricing page")
    {
        var response = await app.Client.PostJsonAsync("/api/v1/lead-forms", new
        {
            name,
            fields = new object[]
            {
                new { name = "firstName", required = true },
                new { name = "email", label = "Your email", required = true },
                new { name = "company" },
                new { name = "budgetAmount" },
                new { name = "budgetCurrency" },
                new { name = "timeline" },
                new { name = "message" },
            },
            allowedOrigins = origins ?? [Site],
            successRedirectUrl = redirect,
            isActive = active,
        });
        return await response.ExpectAsync(HttpStatusCode.Created);
    }

    /// <summary>A visitor's browser: no Aida credentials, no cookies, redirects not followed.</summary>
    private static HttpClient Browser(AidaApp app) =>
        app.NewHttpClient(allowAutoRedirect: false, useCookies: false);

    private static HttpRequestMessage Post(JsonElement form, IDictionary<string, string> fields, string? origin = Site, string? referer = null, bool html = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, form.Str("submitPath")) { Content = new FormUrlEncodedContent(fields) };
        if (origin is not null)
        {
            request.Headers.TryAddWithoutValidation("Origin", origin);
        }

        if (referer is not null)
        {
            request.Headers.Referrer = new Uri(referer);
        }

        request.Headers.Accept.ParseAdd(html ? "text/html,application/xhtml+xml,*/*;q=0.8" : "application/json");
        return request;
    }

    /// <summary>A visitor; without <paramref name="email"/>, one nobody has captured before.</summary>
    private static Dictionary<string, string> Person(string? email = null) => new()
    {
        ["firstName"] = "Vera",
        ["email"] = email ?? $"{Builders.Unique("visitor")}@example.org",
        ["company"] = "Vera's Vans",
        ["message"] = "Need a quote for five tablets",
    };

    private static Task<int> LeadCount(AidaApp app) => app.QueryAsync(d => d.Set<Lead>().IgnoreQueryFilters().CountAsync());

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Submit_FromAllowedSite_RedirectsAndStoresTheLeadWithUtmAndForm(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var leadsBefore = await LeadCount(app);
        var form = await CreateFormAsync(app);
        using var browser = Browser(app);
        var since = await app.LastEventSeqAsync();
        var fields = Person();
        fields["utm_source"] = "newsletter";
        fields["budgetAmount"] = "1500.50";
        fields["budgetCurrency"] = "eur";
        fields["timeline"] = "this_month";
        fields["favouriteColour"] = "teal";

        var response = await browser.SendAsync(Post(form, fields, referer: $"{Site}/pricing?utm_campaign=spring&utm_source=ignored"));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("https://shop.example.com/thanks", response.Headers.Location?.ToString());
        Assert.Equal(leadsBefore + 1, await LeadCount(app));
        var lead = await app.QueryAsync(d => d.Set<Lead>().SingleAsync(l => l.FormId == form.Id()));
        Assert.Equal(form.Id(), lead.FormId);
        Assert.Equal(LeadSourceType.Website, lead.SourceType);
        Assert.Equal("Pricing page", lead.SourceDetail);
        Assert.Equal("newsletter", lead.UtmSource);
        Assert.Equal("spring", lead.UtmCampaign);
        Assert.Equal($"{Site}/pricing?utm_campaign=spring&utm_source=ignored", lead.LandingPage);
        Assert.Equal("Vera", lead.FirstName);
        Assert.Equal("Need a quote for five tablets", lead.Needs);
        Assert.Equal(1500.50m, lead.BudgetAmount);
        Assert.Equal("EUR", lead.BudgetCurrency);
        Assert.Equal(PurchaseTimeline.ThisMonth, lead.Timeline);
        Assert.Null(lead.CreatedBy);
        Assert.Equal(1, await app.QueryAsync(d => d.Set<LeadForm>().Where(f => f.Id == form.Id()).Select(f => f.SubmissionCount).SingleAsync()));
        Assert.Equal(1, await app.QueryAsync(d => d.Set<OutboxEvent>().CountAsync(e => e.Type == "lead.captured" && e.Seq > since)));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Submit_WithoutRedirectUrl_GoesToTheThankYouPage_AndMultipartWorks(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var leadsBefore = await LeadCount(app);
        var form = await CreateFormAsync(app, redirect: null);
        using var browser = Browser(app);
        var request = Post(form, Person());
        var multipart = new MultipartFormDataContent();
        foreach (var (key, value) in Person())
        {
            multipart.Add(new StringContent(value), key);
        }

        request.Content = multipart;
        var response = await browser.SendAsync(request);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal($"{form.Str("submitPath")}/thanks", response.Headers.Location?.ToString());
        var thanks = await browser.GetAsync(response.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, thanks.StatusCode);
        Assert.Contains("Thank you", await thanks.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(leadsBefore + 1, await LeadCount(app));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Submit_Json_FromAllowedOrigin_Answers200WithCorsHeaders(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var leadsBefore = await LeadCount(app);
        var form = await CreateFormAsync(app);
        using var browser = Browser(app);
        var request = new HttpRequestMessage(HttpMethod.Post, form.Str("submitPath"))
        {
            Content = new StringContent(JsonSerializer.Serialize(new { firstName = "Jo", email = "jo@example.org", budgetAmount = 250, budgetCurrency = "GBP" }), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Origin", Site);

        var response = await browser.SendAsync(request);
        var body = await response.ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("received", body.Str("status"));
        Assert.Equal(Site, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal(leadsBefore + 1, await LeadCount(app));
        Assert.Equal(250m, await app.QueryAsync(d => d.Set<Lead>().Where(l => l.FormId == form.Id()).Select(l => l.BudgetAmount).SingleAsync()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Submit_FromAnotherSite_Is403_AndNothingIsStored(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var leadsBefore = await LeadCount(app);
        var form = await CreateFormAsync(app);
        using var browser = Browser(app);

        await (await browser.SendAsync(Post(form, Person(), origin: "https://evil.example.net", html: false))).ExpectProblemAsync(HttpStatusCode.Forbidden, "origin");
        // A look-alike host is another origin, and so is another scheme or port.
        await (await browser.SendAsync(Post(form, Person(), origin: "https://shop.example.com.evil.net", html: false))).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await browser.SendAsync(Post(form, Person(), origin: "http://shop.example.com", html: false))).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await browser.SendAsync(Post(form, Person(), origin: "null", html: false))).ExpectProblemAsync(HttpStatusCode.Forbidden);
        // Neither Origin nor Referer: the origin cannot be checked, so a form with allowed origins refuses it.
        await (await browser.SendAsync(Post(form, Person(), origin: null, html: false))).ExpectProblemAsync(HttpStatusCode.Forbidden);
        // A browser answer is a page, not JSON.
        var page = await browser.SendAsync(Post(form, Person(), origin: "https://evil.example.net"));
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);

        Assert.Equal(leadsBefore, await LeadCount(app));
        Assert.Equal(0, await app.QueryAsync(d => d.Set<LeadForm>().Where(f => f.Id == form.Id()).Select(f => f.SubmissionCount).SingleAsync()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Submit_WithoutOrigin_UsesTheReferer_AndAFormWithoutOriginsTakesAnySite(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var leadsBefore = await LeadCount(app);
        var form = await CreateFormAsync(app);
        var open = await CreateFormAsync(app, origins: [], name: "Anywhere");
        using var browser = Browser(app);

        var viaReferer = await browser.SendAsync(Post(form, Person("a@example.org"), origin: null, referer: $"{Site}/contact"));
        var wrongReferer = await browser.SendAsync(Post(form, Person("b@example.org"), origin: null, referer: "https://evil.example.net/contact", html: false));
        var anywhere = await browser.SendAsync(Post(open, Person("c@example.org"), origin: "https://any.example.net"));

        Assert.Equal(HttpStatusCode.SeeOther, viaReferer.StatusCode);
        await wrongReferer.ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.SeeOther, anywhere.StatusCode);
        // Open to every site, the form still sends no CORS headers: only listed origins may read answers.
        Assert.False(anywhere.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal(leadsBefore + 2, await LeadCount(app));
        Assert.Equal(["a@example.org", "c@example.org"], (await app.QueryAsync(d => d.Set<Lead>().Where(l => l.FormId == form.Id() || l.FormId == open.Id()).Select(l => l.Email!).ToListAsync())).Order());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Submit_Flood_Is429WithRetryAfter_AfterTheLimit(DatabaseKind db)
    {
        // A server of its own: the limit is a setting of the server.
        await using var app = await AidaApp.StartAsync(db, new Dictionary<string, string?> { ["WebForms:SubmissionsPerMinute"] = "3" });
        var form = await CreateFormAsync(app);
        using var browser = Browser(app);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.SeeOther, (await browser.SendAsync(Post(form, Person($"flood{i}@example.org")))).StatusCode);
        }

        var refused = await browser.SendAsync(Post(form, Person("flood9@example.org"), html: false));
        await refused.ExpectProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.True(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal(3, await LeadCount(app));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Submit_HoneypotFilled_LooksLikeSuccess_ButStoresNothing(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var leadsBefore = await LeadCount(app);
        var form = await CreateFormAsync(app);
        using var browser = Browser(app);
        var since = await app.LastEventSeqAsync();
        var bot = Person("bot@example.org");
        bot[LeadFormRules.HoneypotField] = "http://spam.example";

        var person = await browser.SendAsync(Post(form, Person("human@example.org")));
        var caught = await browser.SendAsync(Post(form, bot));
        var caughtJson = await browser.SendAsync(Post(form, bot, html: false));

        Assert.Equal(person.StatusCode, caught.StatusCode);
        Assert.Equal(person.Headers.Location, caught.Headers.Location);
        Assert.Equal("received", (await caughtJson.ExpectAsync(HttpStatusCode.OK)).Str("status"));
        Assert.Equal(leadsBefore + 1, await LeadCount(app));
        Assert.Equal(["human@example.org"], await app.QueryAsync(d => d.Set<Lead>().Where(l => l.FormId == form.Id()).Select(l => l.Email!).ToListAsync()));
        Assert.Equal(1, await app.QueryAsync(d => d.Set<LeadForm>().Where(f => f.Id == form.Id()).Select(f => f.SubmissionCount).SingleAsync()));
        Assert.Equal(1, await app.QueryAsync(d => d.Set<OutboxEvent>().CountAsync(e => e.Type == "lead.captured" && e.Seq > since)));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Submit_Oversize_Is413_AndNothingIsStored(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var leadsBefore = await LeadCount(app);
        var form = await CreateFormAsync(app);
        using var browser = Browser(app);
        var big = Person();
        // Just over the 16 KB limit: the client has sent all of it by the time the server refuses, so it reads the answer.
        big["message"] = new string('x', 17_000);

        var declared = await browser.SendAsync(Post(form, big, html: false));
        // Chunked, with no Content-Length to refuse up front: the limit holds while reading.
        var chunked = Post(form, big, html: false);
        chunked.Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("email=big%40example.org&message=" + new string('y', 17_000))));
        chunked.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        chunked.Headers.TransferEncodingChunked = true;
        // A new connection: the server closes the first one after refusing a body it did not read.
        using var second = Browser(app);
        var streamed = await second.SendAsync(chunked);

        await declared.ExpectProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        await streamed.ExpectProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(leadsBefore, await LeadCount(app));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Submit_BadFields_Are400NamingThem_AndNothingIsStored(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var leadsBefore = await LeadCount(app);
        var form = await CreateFormAsync(app);
        using var browser = Browser(app);
        var bad = new Dictionary<string, string>
        {
            ["email"] = "not-an-address",
            ["budgetAmount"] = "lots",
            ["timeline"] = "someday",
            ["utm_source"] = new string('u', 300),
        };

        var problem = await (await browser.SendAsync(Post(form, bad, html: false))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        var page = await browser.SendAsync(Post(form, bad));
        var html = await page.Content.ReadAsStringAsync();

        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "firstName", "email", "budgetAmount", "timeline", "utm_source" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"{field} in {errors}");
        }

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Please check the form", html, StringComparison.Ordinal);
        Assert.Contains("First name: Is required.", html, StringComparison.Ordinal);
        Assert.Contains("Budget:", html, StringComparison.Ordinal);
        Assert.Equal(leadsBefore, await LeadCount(app));
        Assert.Equal(0, await app.QueryAsync(d => d.Set<LeadForm>().Where(f => f.Id == form.Id()).Select(f => f.SubmissionCount).SingleAsync()));

        var unreadable = new HttpRequestMessage(HttpMethod.Post, form.Str("submitPath")) { Content = new StringContent("{not json", Encoding.UTF8, "application/json") };
        unreadable.Headers.TryAddWithoutValidation("Origin", Site);
        await (await browser.SendAsync(unreadable)).ExpectProblemAsync(HttpStatusCode.BadRequest);
        var text = new HttpRequestMessage(HttpMethod.Post, form.Str("submitPath")) { Content = new StringContent("email=a@b.c", Encoding.UTF8, "text/plain") };
        text.Headers.TryAddWithoutValidation("Origin", Site);
        await (await browser.SendAsync(text)).ExpectProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(leadsBefore, await LeadCount(app));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Submit_InactiveDeletedOrUnknownForm_Is404(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var leadsBefore = await LeadCount(app);
        var inactive = await CreateFormAsync(app, active: false);
        var deleted = await CreateFormAsync(app, name: "Deleted");
        await (await app.Client.DeleteAsync($"/api/v1/lead-forms/{deleted.Id()}", null)).ExpectAsync(HttpStatusCode.NoContent);
        using var browser = Browser(app);

        await (await browser.SendAsync(Post(inactive, Person(), html: false))).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await browser.SendAsync(Post(deleted, Person(), html: false))).ExpectProblemAsync(HttpStatusCode.NotFound);
        var unknown = new HttpRequestMessage(HttpMethod.Post, "/f/" + LeadForm.NewKey()) { Content = new FormUrlEncodedContent(Person()) };
        await (await browser.SendAsync(unknown)).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(leadsBefore, await LeadCount(app));

        await (await app.Client.PatchJsonAsync($"/api/v1/lead-forms/{inactive.Id()}", new { isActive = true })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.SeeOther, (await browser.SendAsync(Post(inactive, Person()))).StatusCode);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Preflight_AnswersAllowedOriginsOnly(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var form = await CreateFormAsync(app);
        using var browser = Browser(app);

        HttpRequestMessage Preflight(string origin)
        {
            var request = new HttpRequestMessage(HttpMethod.Options, form.Str("submitPath"));
            request.Headers.TryAddWithoutValidation("Origin", origin);
            request.Headers.TryAddWithoutValidation("Access-Control-Request-Method", "POST");
            request.Headers.TryAddWithoutValidation("Access-Control-Request-Headers", "content-type");
            return request;
        }

        var allowed = await browser.SendAsync(Preflight(Site));
        var other = await browser.SendAsync(Preflight("https://evil.example.net"));

        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal(Site, allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("POST", allowed.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);
        Assert.Contains("Content-Type", allowed.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Submit_RepeatOfAKnownLead_AttachesWithTheFormsName_AndAnswersTheSame(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var leadsBefore = await LeadCount(app);
        var form = await CreateFormAsync(app);
        var existing = await (await app.Client.PostJsonAsync("/api/v1/leads", new { email = "Repeat@Example.org" })).ExpectAsync(HttpStatusCode.Created);
        using var browser = Browser(app);

        var response = await browser.SendAsync(Post(form, Person("repeat@example.org")));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal(leadsBefore + 1, await LeadCount(app));
        var lead = await app.QueryAsync(d => d.Set<Lead>().SingleAsync(l => l.Id == existing.Id()));
        Assert.Equal(existing.Id(), lead.Id);
        Assert.Equal(2, lead.CaptureCount);
        Assert.Equal("Vera", lead.FirstName);
        Assert.Equal("Web form: Pricing page", await app.QueryAsync(d => d.Set<LeadInteraction>().Where(i => i.LeadId == existing.Id()).Select(i => i.Subject).SingleAsync()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task FormsApi_IsForAdmins_AndValidatesTheDefinition(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (_, rep) = await app.UserAsync(Role.Rep);
        var formsBefore = await app.QueryAsync(d => d.Set<LeadForm>().CountAsync());
        var listedBefore = (await (await app.Client.GetAsync("/api/v1/lead-forms")).ExpectAsync(HttpStatusCode.OK)).Items().Select(i => i.Id()).ToList();
        var form = await CreateFormAsync(app);

        await (await rep.GetAsync("/api/v1/lead-forms")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await rep.GetAsync($"/api/v1/lead-forms/{form.Id()}/embed")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await rep.PostJsonAsync("/api/v1/lead-forms", new { name = "Mine", fields = new[] { new { name = "email" } } })).ExpectProblemAsync(HttpStatusCode.Forbidden);

        await (await app.Client.PostJsonAsync("/api/v1/lead-forms", new { name = "X", fields = new[] { new { name = "shoeSize" } } }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "fields[0].name");
        await (await app.Client.PostJsonAsync("/api/v1/lead-forms", new { name = "X", fields = new[] { new { name = "firstName" } } }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "fields");
        await (await app.Client.PostJsonAsync("/api/v1/lead-forms", new { name = "X", fields = new[] { new { name = "email" } }, allowedOrigins = new[] { "https://ok.example", "https://a.example/path" } }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "allowedOrigins[1]");
        await (await app.Client.PostJsonAsync("/api/v1/lead-forms", new { name = "", fields = new[] { new { name = "email", type = "select" } }, successRedirectUrl = "javascript:x" }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "fields[0].type");
        Assert.Equal(formsBefore + 1, await app.QueryAsync(d => d.Set<LeadForm>().CountAsync()));

        var list = await (await app.Client.GetAsync("/api/v1/lead-forms")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(listedBefore.Append(form.Id()).Order(), list.Items().Select(i => i.Id()).Order());
        Assert.True(form.Str("key").Length >= 22);
        Assert.Equal($"/f/{form.Str("key")}", form.Str("submitPath"));
        Assert.Equal("Your email", form.GetProperty("fields")[1].Str("label"));
        Assert.Equal("email", form.GetProperty("fields")[1].Str("type"));

        var get = await app.Client.GetAsync($"/api/v1/lead-forms/{form.Id()}");
        await (await app.Client.PatchJsonAsync($"/api/v1/lead-forms/{form.Id()}", new { name = "Renamed", allowedOrigins = new[] { "HTTPS://Shop.Example.com:443/" } }, get.ETag()))
            .ExpectAsync(HttpStatusCode.OK);
        await (await app.Client.PatchJsonAsync($"/api/v1/lead-forms/{form.Id()}", new { name = "Stale" }, get.ETag())).ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
        var renamed = await (await app.Client.GetAsync($"/api/v1/lead-forms/{form.Id()}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Renamed", renamed.Str("name"));
        Assert.Equal(Site, renamed.GetProperty("allowedOrigins")[0].GetString());
        Assert.Equal(form.Str("key"), renamed.Str("key"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Embed_IsAPlainFormWithLabelsHoneypotAndAttributionFields(DatabaseKind db)
    {
        // A server of its own: the public address is a setting of the server.
        await using var app = await AidaApp.StartAsync(db, new Dictionary<string, string?> { ["WebForms:PublicBaseUrl"] = "https://crm.example.com/" });
        var form = await CreateFormAsync(app);

        var response = await app.Client.GetAsync($"/api/v1/lead-forms/{form.Id()}/embed");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"<form class=\"aida-form\" method=\"post\" action=\"https://crm.example.com/f/{form.Str("key")}\"", html, StringComparison.Ordinal);
        var key = form.Str("key");
        Assert.Contains($"<label for=\"aida-{key}-email\">Your email</label>", html, StringComparison.Ordinal);
        Assert.Contains($"<input id=\"aida-{key}-email\" name=\"email\" type=\"email\" required", html, StringComparison.Ordinal);
        Assert.Contains($"<select id=\"aida-{key}-timeline\" name=\"timeline\">", html, StringComparison.Ordinal);
        Assert.Contains($"<textarea id=\"aida-{key}-message\" name=\"message\"", html, StringComparison.Ordinal);
        Assert.Contains("aria-hidden=\"true\"", html, StringComparison.Ordinal);
        Assert.Contains($"name=\"{LeadFormRules.HoneypotField}\" type=\"text\" tabindex=\"-1\" autocomplete=\"off\"", html, StringComparison.Ordinal);
        foreach (var hidden in new[] { "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "landing_page" })
        {
            Assert.Contains($"<input type=\"hidden\" name=\"{hidden}\" value=\"\">", html, StringComparison.Ordinal);
        }
    }
}
