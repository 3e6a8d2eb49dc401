using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Aida.E2E.Infrastructure;

/// <summary>Signing in as a person does: the form at /signin, found by its labels.</summary>
public static partial class SignIn
{
    /// <summary>Fills and submits the sign-in form, and waits for the home page of a signed-in user.</summary>
    public static async Task SignInAsync(this IPage page, string email, string password)
    {
        await page.SubmitSignInFormAsync(email, password);
        await Expect(page).ToHaveURLAsync(HomePageUrl());
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true })).ToBeVisibleAsync();
    }

    public static Task SignInAsync(this IPage page, AidaUser user) => page.SignInAsync(user.Email, user.Password);

    /// <summary>Opens /signin, fills the form and submits it, whatever the answer.</summary>
    public static async Task SubmitSignInFormAsync(this IPage page, string email, string password)
    {
        await page.GotoAsync("/signin");
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
    }

    /// <summary>The sign-in page, with or without a return URL.</summary>
    [GeneratedRegex(@"^https?://[^/]+/signin(\?.*)?$")]
    public static partial Regex SignInPageUrl();

    [GeneratedRegex(@"^https?://[^/]+/$")]
    public static partial Regex HomePageUrl();
}
