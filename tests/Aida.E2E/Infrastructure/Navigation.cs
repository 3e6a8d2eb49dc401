using Microsoft.Playwright;

namespace Aida.E2E.Infrastructure;

/// <summary>The main navigation as a person uses it: a section's link in the bar, or under "More" when it is not.</summary>
public static class Navigation
{
    public static ILocator MainNavigation(this IPage page) => page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });

    /// <summary>Follows the main navigation's link to <paramref name="section"/>, opening "More" first if the link is in it.</summary>
    public static async Task GoToSectionAsync(this IPage page, string section)
    {
        var navigation = page.MainNavigation();
        var link = navigation.GetByRole(AriaRole.Link, new() { Name = section, Exact = true });
        if (!await link.IsVisibleAsync())
        {
            await navigation.Locator("details.more > summary").ClickAsync();
        }

        await link.ClickAsync();
    }
}
