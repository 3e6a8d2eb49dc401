using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Aida.E2E.Customers;

/// <summary>An organization as the new-customer form takes it; the optional parts are left empty when null.</summary>
public sealed record NewOrganization(string Name)
{
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? Email { get; init; }
    public string? LegalName { get; init; }
    public string? Website { get; init; }
}

/// <summary>What the customer screens tests do again and again, the way a person does it: by labels and button names.</summary>
public static partial class CustomerScreens
{
    /// <summary>Fills /customers/new (already open) with <paramref name="organization"/>, without submitting.</summary>
    public static async Task FillNewOrganizationAsync(this IPage page, NewOrganization organization)
    {
        await page.GetByLabel("Organization", new() { Exact = true }).CheckAsync();
        await page.TextField("Name").FillAsync(organization.Name);
        var contact = page.GetByRole(AriaRole.Group, new() { Name = "Primary contact", Exact = true });
        await FillIfGivenAsync(contact.TextField("First name"), organization.FirstName);
        await FillIfGivenAsync(contact.TextField("Last name"), organization.LastName);
        await FillIfGivenAsync(contact.TextField("Email"), organization.Email);
        var account = page.GetByRole(AriaRole.Group, new() { Name = "Account (organizations)", Exact = true });
        await FillIfGivenAsync(account.TextField("Legal name"), organization.LegalName);
        await FillIfGivenAsync(account.TextField("Website"), organization.Website);
    }

    /// <summary>Creates <paramref name="organization"/> through /customers/new and returns its id, from the detail page it lands on.</summary>
    public static async Task<Guid> CreateOrganizationAsync(this IPage page, NewOrganization organization)
    {
        await page.GotoAsync("/customers/new");
        await page.FillNewOrganizationAsync(organization);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create customer", Exact = true }).ClickAsync();
        return await page.ExpectCreatedAsync(organization.Name);
    }

    /// <summary>The detail page a successful create lands on, with its flash; returns the new customer's id.</summary>
    public static async Task<Guid> ExpectCreatedAsync(this IPage page, string name)
    {
        await Expect(page).ToHaveURLAsync(DetailPageUrl());
        await Expect(page.Flash()).ToHaveTextAsync($"{name} was created.");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(name);
        return CustomerIdOf(page.Url);
    }

    /// <summary>
    /// A text input by its accessible name. Not GetByLabel: a required field's label ends in an asterisk that is
    /// hidden from assistive technology, and the accessible name (without it) is what matters.
    /// </summary>
    public static ILocator TextField(this IPage page, string name) => page.GetByRole(AriaRole.Textbox, new() { Name = name, Exact = true });

    public static ILocator TextField(this ILocator scope, string name) => scope.GetByRole(AriaRole.Textbox, new() { Name = name, Exact = true });

    /// <summary>The message a post leaves for the next page ("… was created.").</summary>
    public static ILocator Flash(this IPage page) => page.Locator("div.flash[role=status]");

    /// <summary>The quick actions in a customer's header (Edit, Add contact, Add address, Hierarchy, …).</summary>
    public static ILocator QuickActions(this IPage page) => page.GetByRole(AriaRole.Group, new() { Name = "Quick actions", Exact = true });

    /// <summary>The header of a customer's detail page: name, badges, owner, primary contact, quick actions.</summary>
    public static ILocator RecordHead(this IPage page) => page.GetByRole(AriaRole.Main).Locator("header.record-head");

    /// <summary>The tabs of a customer's detail page.</summary>
    public static ILocator Tabs(this IPage page) => page.GetByRole(AriaRole.Navigation, new() { Name = "Customer sections", Exact = true });

    /// <summary>The row of a table that links to the customer <paramref name="id"/> (names need not be unique; ids are).</summary>
    public static ILocator RowOf(this IPage page, Guid id) =>
        page.GetByRole(AriaRole.Row).Filter(new() { Has = page.Locator($"a[href='/customers/{id}']") });

    /// <summary>
    /// Waits until htmx has no request in flight and nothing left to swap or settle: after an action that may
    /// (or, to be checked, must not) make htmx fetch, so the page is looked at once it stopped changing.
    /// </summary>
    public static Task WaitForHtmxIdleAsync(this IPage page) =>
        page.WaitForFunctionAsync("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')");

    public static Guid CustomerIdOf(string url) => Guid.Parse(DetailPageUrl().Match(url).Groups["id"].Value);

    /// <summary>A customer's detail page, on any tab.</summary>
    [GeneratedRegex(@"^https?://[^/]+/customers/(?<id>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(\?tab=\w+)?$")]
    public static partial Regex DetailPageUrl();

    private static async Task FillIfGivenAsync(ILocator field, string? value)
    {
        if (value is not null)
        {
            await field.FillAsync(value);
        }
    }
}
