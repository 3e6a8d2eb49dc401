using Aida.E2E.Infrastructure;
using Aida.Platform.Auth;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Aida.E2E.Auth;

[Collection(BrowserCollection.Name)]
public sealed class SignInTests(Chromium chromium, ITestOutputHelper output)
{
    [Fact]
    public async Task SignIn_RightPassword_GreetsTheUserByName_AndSignOutReturnsToSignIn()
    {
        await using var server = await AidaServer.StartAsync(output);
        await using var browser = await chromium.OpenAsync(server, output);
        var page = browser.Page;

        await page.GotoAsync("/signin");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to Aida" })).ToBeVisibleAsync();
        await browser.ScreenshotAsync(page, "sign-in");

        await page.SignInAsync(server.Admin);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Hello, {server.Admin.Name}" })).ToBeVisibleAsync();
        await Expect(page.UserMenu()).ToContainTextAsync(server.Admin.Name);
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync($"You are signed in as {server.Admin.Email} with the admin role.");
        await browser.ScreenshotAsync(page, "home");

        await page.SignOutAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true })).ToBeVisibleAsync();

        // The session is over, not just hidden: the home page sends the browser back to sign in.
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(SignIn.SignInPageUrl());
        await Expect(page.UserMenu()).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task SignIn_WrongPassword_ShowsTheErrorAndKeepsTheEmail()
    {
        var rep = AidaUser.Unique("Rita Rep", Role.Rep, team: "Sales");
        await using var server = await AidaServer.StartAsync(output, rep);
        await using var browser = await chromium.OpenAsync(server, output);
        var page = browser.Page;

        await page.SubmitSignInFormAsync(rep.Email, rep.Password + " but wrong");

        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("The email or password is not right.");
        await Expect(page).ToHaveURLAsync(SignIn.SignInPageUrl());
        await Expect(page.GetByLabel("Email", new() { Exact = true })).ToHaveValueAsync(rep.Email);
        await Expect(page.GetByLabel("Password", new() { Exact = true })).ToBeEmptyAsync();
        await Expect(page.UserMenu()).ToHaveCountAsync(0);
        await browser.ScreenshotAsync(page, "sign-in-refused");
    }
}
