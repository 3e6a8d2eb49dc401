using System.Net;
using System.Text.RegularExpressions;
using Aida.Platform.Auth;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Platform.Auth;

/// <summary>
/// The web sign-in as a browser does it: GET the form, post it back with its antiforgery token and the
/// cookie that came with it, follow the session cookie.
/// </summary>
public sealed partial class SignInTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    private const string Password = "a long enough password";

    /// <summary>A browser-like client: its own cookie jar, no automatic redirects (so tests see them).</summary>
    private sealed class Browser : IDisposable
    {
        private readonly HttpClient _client;

        public Browser(AidaApp app)
        {
            _client = app.NewHttpClient(allowAutoRedirect: false, cookies: Cookies);
        }

        public CookieContainer Cookies { get; } = new();

        public Task<HttpResponseMessage> GetAsync(string url) => _client.GetAsync(url);

        /// <summary>Fetches <paramref name="formPage"/> and posts its form with <paramref name="fields"/> (and its antiforgery token unless told not to).</summary>
        public async Task<HttpResponseMessage> SubmitAsync(string formPage, string action, IDictionary<string, string> fields, bool withAntiforgery = true)
        {
            var html = await (await _client.GetAsync(formPage)).Content.ReadAsStringAsync();
            var values = new Dictionary<string, string>(fields);
            if (withAntiforgery)
            {
                var token = AntiforgeryInput().Match(html);
                Assert.True(token.Success, $"no antiforgery field on {formPage}: {html}");
                values[token.Groups[1].Value] = WebUtility.HtmlDecode(token.Groups[2].Value);
            }

            return await _client.PostAsync(action, new FormUrlEncodedContent(values));
        }

        public void Dispose() => _client.Dispose();
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task SignIn_WithTheRightPassword_StartsASessionThatOpensPages_AndSignOutEndsIt(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (user, _) = await app.UserAsync(Role.Rep, password: Password);
        using var browser = new Browser(app);

        var home = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Equal("/signin", home.Headers.Location!.AbsolutePath);

        var signIn = await browser.SubmitAsync("/signin", "/signin", new Dictionary<string, string> { ["email"] = user.Email.ToUpperInvariant(), ["password"] = Password });
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var session = browser.Cookies.GetCookies(app.Address)["aida.session"];
        Assert.NotNull(session);
        Assert.True(session.HttpOnly);

        var page = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains(user.DisplayName, await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotNull(await app.QueryAsync(d => d.Set<User>().Where(u => u.Id == user.Id).Select(u => u.LastSignInAt).SingleAsync()));
        // The key protecting the cookie lives in the database, so a restart, or another node, keeps people signed in.
        Assert.NotEmpty(await app.QueryAsync(d => d.Set<DataProtectionKey>().Select(k => k.Xml).ToListAsync()));
        Assert.False(Directory.Exists(Path.Combine(app.DataDirectory, "keys")), "no key is written to the data directory");

        var signOut = await browser.SubmitAsync("/", "/signout", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/")).StatusCode);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task SignIn_AfterFiveWrongPasswords_LocksTheAccountEvenForTheRightOne(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (user, _) = await app.UserAsync(Role.Rep, password: Password);
        using var browser = new Browser(app);

        for (var attempt = 0; attempt < AuthPages.MaxFailedSignIns; attempt++)
        {
            var wrong = await browser.SubmitAsync("/signin", "/signin", new Dictionary<string, string> { ["email"] = user.Email, ["password"] = "not the password" });
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            Assert.Contains("not right", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var right = await browser.SubmitAsync("/signin", "/signin", new Dictionary<string, string> { ["email"] = user.Email, ["password"] = Password });

        Assert.Equal(HttpStatusCode.BadRequest, right.StatusCode);
        Assert.Contains("locked", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(browser.Cookies.GetCookies(app.Address)["aida.session"]);
        var lockedUntil = await app.QueryAsync(d => d.Set<User>().Where(u => u.Id == user.Id).Select(u => u.LockedUntil).SingleAsync());
        Assert.InRange(lockedUntil!.Value, DateTime.UtcNow.AddMinutes(14), DateTime.UtcNow.AddMinutes(16));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task FormPost_WithoutItsAntiforgeryToken_IsRefused(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (user, _) = await app.UserAsync(Role.Rep, password: Password);
        using var browser = new Browser(app);

        var forgedSignIn = await browser.SubmitAsync("/signin", "/signin",
            new Dictionary<string, string> { ["email"] = user.Email, ["password"] = Password }, withAntiforgery: false);
        Assert.Equal(HttpStatusCode.BadRequest, forgedSignIn.StatusCode);
        Assert.Null(browser.Cookies.GetCookies(app.Address)["aida.session"]);

        // Signed in, a forged "create token" post from another site carries the cookie but not the token.
        await browser.SubmitAsync("/signin", "/signin", new Dictionary<string, string> { ["email"] = user.Email, ["password"] = Password });
        var forgedToken = await browser.SubmitAsync("/account/tokens", "/account/tokens",
            new Dictionary<string, string> { ["name"] = "forged", ["scope"] = "write" }, withAntiforgery: false);
        var forgedSignOut = await browser.SubmitAsync("/", "/signout", new Dictionary<string, string>(), withAntiforgery: false);

        Assert.Equal(HttpStatusCode.BadRequest, forgedToken.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, forgedSignOut.StatusCode);
        Assert.False(await app.QueryAsync(d => d.Set<ApiToken>().AnyAsync(t => t.UserId == user.Id && t.Name == "forged")));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task TokensPage_CreatesATokenShownOnceThatWorksOnTheApi_AndRevokesIt(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var (user, _) = await app.UserAsync(Role.Manager, password: Password);
        using var browser = new Browser(app);
        await browser.SubmitAsync("/signin", "/signin", new Dictionary<string, string> { ["email"] = user.Email, ["password"] = Password });

        var created = await browser.SubmitAsync("/account/tokens", "/account/tokens", new Dictionary<string, string> { ["name"] = "laptop", ["scope"] = "read" });
        var html = await created.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var secret = TokenText().Match(html).Value;
        Assert.NotEmpty(secret);
        using var api = app.NewClient(secret);
        await (await api.GetAsync("/api/v1/me")).ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(secret, await (await browser.GetAsync("/account/tokens")).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var tokenId = await app.QueryAsync(d => d.Set<ApiToken>().Where(t => t.UserId == user.Id && t.Name == "laptop").Select(t => t.Id).SingleAsync());
        var revoked = await browser.SubmitAsync("/account/tokens", $"/account/tokens/{tokenId}/revoke", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        await (await api.GetAsync("/api/v1/me")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Setup_WhileNobodyCanSignIn_CreatesTheFirstAdmin_ThenIsGone(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        using var browser = new Browser(app);

        var redirected = await browser.GetAsync("/signin");
        Assert.Equal("/setup", redirected.Headers.Location?.OriginalString);
        var tooShort = await browser.SubmitAsync("/setup", "/setup",
            new Dictionary<string, string> { ["displayName"] = "Ada Admin", ["email"] = "ada@example.com", ["password"] = "short" });
        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
        Assert.Contains("at least 12", await tooShort.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var setUp = await browser.SubmitAsync("/setup", "/setup",
            new Dictionary<string, string> { ["displayName"] = "Ada Admin", ["email"] = "ada@example.com", ["password"] = Password });

        Assert.Equal(HttpStatusCode.Redirect, setUp.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);
        var ada = await app.QueryAsync(d => d.Set<User>().SingleAsync(u => u.Email == "ada@example.com"));
        Assert.Equal(Role.Admin, ada.Role);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/setup")).StatusCode);
        using var other = new Browser(app);
        var second = await other.GetAsync("/setup");
        Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryInput();

    [GeneratedRegex("aida_[A-Za-z0-9_-]{43}")]
    private static partial Regex TokenText();
}
