using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Aida.E2E.Infrastructure;

/// <summary>Signing in and out as a person does: the form at /signin, found by its labels, and the user menu.</summary>
public static partial class SignIn
{
    /// <summary>Fills and submits the sign-in form, and waits for the home page of a signed-in user.</summary>
    public static async Task SignInAsync(this IPage page, string email, string password)
    {
        await page.SubmitSignInFormAsync(email, password);
        await Expect(page).ToHaveURLAsync(HomePageUrl());
        await Expect(page.UserMenu()).ToBeVisibleAsync();
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

    /// <summary>
    /// The user menu in the page's header: a disclosure (<c>&lt;details&gt;</c>, a group to assistive technology)
    /// whose summary reads "Signed in as &lt;name&gt;" and which holds Profile, API tokens and Sign out.
    /// </summary>
    public static ILocator UserMenu(this IPage page) =>
        page.GetByRole(AriaRole.Banner).GetByRole(AriaRole.Group).Filter(new() { HasText = "Signed in as" });

    /// <summary>Opens the user menu (a click on its summary, as a person would) unless it is open already.</summary>
    public static async Task<ILocator> OpenUserMenuAsync(this IPage page)
    {
        var menu = page.UserMenu();
        var signOut = menu.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true });
        if (!await signOut.IsVisibleAsync())
        {
            await menu.Locator("summary").ClickAsync();
        }

        await Expect(signOut).ToBeVisibleAsync();
        return menu;
    }

    /// <summary>Signs out through the user menu and waits for the sign-in page.</summary>
    public static async Task SignOutAsync(this IPage page)
    {
        var menu = await page.OpenUserMenuAsync();
        await menu.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(SignInPageUrl());
        await Expect(page.UserMenu()).ToHaveCountAsync(0);
    }

    /// <summary>The sign-in page, with or without a return URL.</summary>
    [GeneratedRegex(@"^https?://[^/]+/signin(\?.*)?$")]
    public static partial Regex SignInPageUrl();

    [GeneratedRegex(@"^https?://[^/]+/$")]
    public static partial Regex HomePageUrl();
}
