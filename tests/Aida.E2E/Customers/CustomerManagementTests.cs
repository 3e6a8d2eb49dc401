using System.Globalization;
using System.Text.RegularExpressions;
using Aida.E2E.Infrastructure;
using Aida.Platform.Auth;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Aida.E2E.Customers;

/// <summary>
/// Customer management as a person does it in the browser (spec 002 screens), against a real aida process:
/// create with the duplicate warning, contacts and the primary one, addresses, the account hierarchy and its
/// cycle check, bulk assignment; then keyboard-only use of a form, and the screens at phone width.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CustomerManagementTests(Chromium chromium, ITestOutputHelper output)
{
    private static readonly NewOrganization Acme = new("Acme Robotics")
    {
        FirstName = "Grace",
        LastName = "Hopper",
        Email = "grace.hopper@acme-robotics.example",
        LegalName = "Acme Robotics GmbH",
        Website = "www.acme-robotics.example",
    };

    [Fact]
    public async Task CustomerManagement_CreateDuplicateContactsAddressesHierarchyAndBulkAssign_WorkEndToEnd()
    {
        var riley = AidaUser.Unique("Riley Rep", Role.Rep, team: "Sales");
        var sam = AidaUser.Unique("Sam Seller", Role.Rep, team: "Sales");
        await using var server = await AidaServer.StartAsync(output, riley, sam);
        await using var browser = await chromium.OpenAsync(server, output);
        var page = browser.Page;

        // 1. Sign in as the admin, and find the (empty) customer list through the navigation.
        await page.SignInAsync(server.Admin);
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Customers", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/customers$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Customers", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByText("There are no customers yet.")).ToBeVisibleAsync();
        await browser.ScreenshotAsync(page, "customer-list-empty");

        // 2. Create an organization with a primary contact and a website; land on its detail page.
        await page.GetByRole(AriaRole.Link, new() { Name = "New customer", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/customers/new$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New customer", Level = 1 })).ToBeVisibleAsync();
        await page.FillNewOrganizationAsync(Acme);
        await browser.ScreenshotAsync(page, "new-customer-form");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create customer", Exact = true }).ClickAsync();
        var acmeId = await page.ExpectCreatedAsync(Acme.Name);
        await Expect(page.RecordHead()).ToContainTextAsync("Primary contact: Grace Hopper");
        var details = page.GetByRole(AriaRole.Region, new() { Name = "Details", Exact = true });
        await Expect(details).ToContainTextAsync("Organization");
        await Expect(details).ToContainTextAsync(server.Admin.Name);
        var account = page.GetByRole(AriaRole.Region, new() { Name = "Account", Exact = true });
        await Expect(account).ToContainTextAsync(Acme.LegalName!);
        await Expect(account).ToContainTextAsync("acme-robotics.example");
        await Expect(page.Tabs().GetByRole(AriaRole.Link, new() { Name = "Overview", Exact = true })).ToHaveAttributeAsync("aria-current", "page");
        await browser.ScreenshotAsync(page, "detail-overview");

        // 3. The same organization again: the duplicate warning names it with its score; "Create anyway" still creates it.
        await page.GotoAsync("/customers/new");
        await page.FillNewOrganizationAsync(Acme);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create customer", Exact = true }).ClickAsync();
        var warning = page.GetByRole(AriaRole.Alert, new() { Name = "This customer may already exist" });
        await Expect(warning).ToBeVisibleAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/customers/new$"));
        var match = warning.GetByRole(AriaRole.Row).Filter(new() { HasText = Acme.Name });
        await Expect(match).ToHaveCountAsync(1);
        var score = double.Parse(await match.GetByRole(AriaRole.Meter).GetAttributeAsync("value") ?? "", CultureInfo.InvariantCulture);
        Assert.InRange(score, 0.8, 1.0);
        await Expect(match).ToContainTextAsync($"{Math.Round(score * 100):0}%");
        await Expect(match.GetByRole(AriaRole.Link, new() { Name = "Open existing" })).ToHaveAttributeAsync("href", $"/customers/{acmeId}");
        await Expect(warning.GetByRole(AriaRole.Link, new() { Name = "Cancel", Exact = true })).ToHaveAttributeAsync("href", "/customers");
        // What was entered is kept, so "Create anyway" posts it again.
        await Expect(page.TextField("Name")).ToHaveValueAsync(Acme.Name);
        await browser.ScreenshotAsync(page, "duplicate-warning");
        await warning.GetByRole(AriaRole.Button, new() { Name = "Create anyway", Exact = true }).ClickAsync();
        var acmeTwinId = await page.ExpectCreatedAsync(Acme.Name);
        Assert.NotEqual(acmeId, acmeTwinId);

        // 4. Two more contacts on the first organization; the second one added becomes primary.
        await page.GotoAsync($"/customers/{acmeId}");
        await page.Tabs().GetByRole(AriaRole.Link, new() { Name = "Contacts", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/customers/{acmeId}\\?tab=contacts$"));
        var contacts = page.GetByRole(AriaRole.Region, new() { Name = "Contacts", Exact = true });
        await Expect(ContactRow(contacts, "Grace Hopper")).ToContainTextAsync(Acme.Email!);
        await Expect(PrimaryBadge(ContactRow(contacts, "Grace Hopper"))).ToBeVisibleAsync();

        await page.QuickActions().GetByRole(AriaRole.Link, new() { Name = "Add contact", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/customers/{acmeId}/contacts/new$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"New contact for {Acme.Name}", Level = 1 })).ToBeVisibleAsync();
        await FillContactAsync(page, "Alan", "Turing", "alan.turing@acme-robotics.example", "+44 20 7946 0000", "Head of Research");
        await browser.ScreenshotAsync(page, "contact-form");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add contact", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/customers/{acmeId}\\?tab=contacts$"));
        await Expect(page.Flash()).ToHaveTextAsync("Alan Turing was added.");

        await page.GotoAsync($"/customers/{acmeId}/contacts/new");
        await FillContactAsync(page, "Katherine", "Johnson", "katherine.johnson@acme-robotics.example", "+1 757 555 0100", "Chief Navigator");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add contact", Exact = true }).ClickAsync();
        await Expect(page.Flash()).ToHaveTextAsync("Katherine Johnson was added.");
        await Expect(contacts.GetByRole(AriaRole.Row)).ToHaveCountAsync(4); // the header and three people
        await Expect(PrimaryBadge(ContactRow(contacts, "Grace Hopper"))).ToBeVisibleAsync();
        await Expect(PrimaryBadge(ContactRow(contacts, "Katherine Johnson"))).ToHaveCountAsync(0);

        await ContactRow(contacts, "Katherine Johnson").GetByRole(AriaRole.Button, new() { Name = "Make primary Katherine Johnson" }).ClickAsync();
        await Expect(PrimaryBadge(ContactRow(contacts, "Katherine Johnson"))).ToBeVisibleAsync();
        await Expect(PrimaryBadge(ContactRow(contacts, "Grace Hopper"))).ToHaveCountAsync(0);
        await Expect(ContactRow(contacts, "Grace Hopper").GetByRole(AriaRole.Button, new() { Name = "Make primary Grace Hopper" })).ToBeVisibleAsync();
        await Expect(contacts.GetByRole(AriaRole.Cell).GetByText("Primary", new() { Exact = true })).ToHaveCountAsync(1);
        // The page says what happened, and the header's primary contact follows — not only the table.
        await Expect(page.Flash()).ToHaveTextAsync("Katherine Johnson is now the primary contact.");
        await Expect(page.RecordHead()).ToContainTextAsync("Primary contact: Katherine Johnson");
        await browser.ScreenshotAsync(page, "contacts-tab");

        // 5. A headquarters and a billing address, both on the Addresses tab.
        await page.QuickActions().GetByRole(AriaRole.Link, new() { Name = "Add address", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/customers/{acmeId}/addresses/new$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New address", Level = 1 })).ToBeVisibleAsync();
        await FillAddressAsync(page, "Headquarters", "Friedrichstraße 68", "3. Etage", "10117", "Berlin", "DE");
        await browser.ScreenshotAsync(page, "address-form");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add address", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/customers/{acmeId}\\?tab=addresses$"));
        await Expect(page.Flash()).ToHaveTextAsync("The address was added.");

        await page.GotoAsync($"/customers/{acmeId}/addresses/new");
        await FillAddressAsync(page, "Billing", "Postfach 12 34", null, "80331", "München", "DE");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add address", Exact = true }).ClickAsync();
        await Expect(page.Flash()).ToHaveTextAsync("The address was added.");
        var addresses = page.GetByRole(AriaRole.Region, new() { Name = "Addresses", Exact = true });
        await Expect(page.Tabs().GetByRole(AriaRole.Link, new() { Name = "Addresses", Exact = true })).ToHaveAttributeAsync("aria-current", "page");
        await Expect(addresses.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(2);
        var headquarters = addresses.GetByRole(AriaRole.Listitem).Filter(new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Headquarters" }) });
        await Expect(headquarters).ToContainTextAsync("Friedrichstraße 68");
        await Expect(headquarters).ToContainTextAsync("3. Etage");
        await Expect(headquarters).ToContainTextAsync("10117 Berlin");
        await Expect(headquarters).ToContainTextAsync("Germany");
        var billing = addresses.GetByRole(AriaRole.Listitem).Filter(new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Billing" }) });
        await Expect(billing).ToContainTextAsync("Postfach 12 34");
        await Expect(billing).ToContainTextAsync("80331 München");
        await browser.ScreenshotAsync(page, "addresses-tab");

        // 6. A two-level hierarchy built with the picker: Acme > Northwind > Contoso. Then a move that would close a loop.
        var northwindId = await page.CreateOrganizationAsync(new NewOrganization("Northwind Traders"));
        var contosoId = await page.CreateOrganizationAsync(new NewOrganization("Contoso Labs"));

        await page.GotoAsync($"/customers/{northwindId}");
        await page.QuickActions().GetByRole(AriaRole.Link, new() { Name = "Hierarchy", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/customers/{northwindId}/hierarchy$"));
        // Both Acmes match the name; the radio's value says which one is which.
        await MoveUnderAsync(page, "Northwind Traders", "Acme", Acme.Name, acmeId, expectedMatches: 2);

        await page.GotoAsync($"/customers/{contosoId}/hierarchy");
        await MoveUnderAsync(page, "Contoso Labs", "North", "Northwind Traders", northwindId, expectedMatches: 1);
        var tree = page.GetByRole(AriaRole.Region, new() { Name = "Organization tree" });
        await Expect(tree).ToMatchAriaSnapshotAsync("""
            - list:
              - listitem:
                - link "Acme Robotics"
                - text: Prospect
                - list:
                  - listitem:
                    - link "Northwind Traders"
                    - text: Prospect
                    - list:
                      - listitem:
                        - strong: Contoso Labs
                        - text: Prospect
            """);
        await Expect(tree.Locator("strong[aria-current]")).ToHaveTextAsync("Contoso Labs");

        await tree.GetByRole(AriaRole.Link, new() { Name = Acme.Name, Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/customers/{acmeId}/hierarchy$"));
        await Expect(tree.Locator("strong[aria-current]")).ToHaveTextAsync(Acme.Name);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Move {Acme.Name}" })).ToBeVisibleAsync();
        await browser.ScreenshotAsync(page, "hierarchy");

        await page.GetByLabel("Under the organization").FillAsync("Contoso");
        var contoso = page.GetByRole(AriaRole.Radio, new() { Name = "Contoso Labs" });
        await Expect(contoso).ToBeVisibleAsync();
        await contoso.CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Move under it", Exact = true }).ClickAsync();
        var refusal = page.GetByRole(AriaRole.Alert).Filter(new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "The organization was not moved" }) });
        await Expect(refusal).ToContainTextAsync("This would make the account hierarchy circular: the customer is already above the other one.");
        // Nothing moved: Acme is still the top of the same tree.
        await Expect(tree).ToMatchAriaSnapshotAsync("""
            - list:
              - listitem:
                - strong: Acme Robotics
                - text: Prospect
                - list:
                  - listitem:
                    - link "Northwind Traders"
                    - text: Prospect
                    - list:
                      - listitem:
                        - link "Contoso Labs"
                        - text: Prospect
            """);
        await browser.ScreenshotAsync(page, "hierarchy-cycle-refused");

        // 7. Bulk-assign three of the four customers to Riley; the fourth keeps its owner.
        await page.GotoAsync("/customers");
        await Expect(page.GetByRole(AriaRole.Checkbox, new() { NameRegex = new Regex("^Select (?!all)") })).ToHaveCountAsync(4);
        await browser.ScreenshotAsync(page, "customer-list");
        await page.RowOf(acmeId).GetByRole(AriaRole.Checkbox, new() { Name = $"Select {Acme.Name}" }).CheckAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Select Northwind Traders", Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Select Contoso Labs", Exact = true }).CheckAsync();
        await Expect(page.GetByLabel("Action", new() { Exact = true })).ToHaveValueAsync("assign_owner"); // the first choice, already chosen
        var newOwner = page.GetByLabel("New owner", new() { Exact = true });
        // Everyone the admin may assign to, by name.
        await Expect(newOwner.Locator("option")).ToHaveTextAsync([server.Admin.Name, riley.Name, sam.Name]);
        await newOwner.SelectOptionAsync(new SelectOptionValue { Label = riley.Name });
        // Choosing the owner must keep the customers selected before (and not reload the list under them).
        await page.WaitForHtmxIdleAsync();
        foreach (var id in new[] { acmeId, northwindId, contosoId })
        {
            await Expect(page.RowOf(id).GetByRole(AriaRole.Checkbox)).ToBeCheckedAsync();
        }

        await Expect(page.RowOf(acmeTwinId).GetByRole(AriaRole.Checkbox)).Not.ToBeCheckedAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Review…", Exact = true }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/customers/bulk$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Assign 3 customers to {riley.Name}?");
        var selected = page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Listitem);
        await Expect(selected).ToHaveTextAsync([Acme.Name, "Contoso Labs", "Northwind Traders"]);
        await browser.ScreenshotAsync(page, "bulk-confirm");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Assign to {riley.Name}", Exact = true }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/customers$"));
        await Expect(page.Flash()).ToHaveTextAsync($"3 customers assigned to {riley.Name}.");
        foreach (var id in new[] { acmeId, northwindId, contosoId })
        {
            await Expect(page.RowOf(id).GetByRole(AriaRole.Cell, new() { Name = riley.Name, Exact = true })).ToBeVisibleAsync();
        }

        await Expect(page.RowOf(acmeTwinId).GetByRole(AriaRole.Cell, new() { Name = server.Admin.Name, Exact = true })).ToBeVisibleAsync();
        await Expect(page.RowOf(acmeTwinId).GetByRole(AriaRole.Cell, new() { Name = riley.Name, Exact = true })).ToHaveCountAsync(0);
        await browser.ScreenshotAsync(page, "customer-list-after-bulk-assign");

        // 8. The profile, through the user menu; then sign out.
        var menu = await page.OpenUserMenuAsync();
        await menu.GetByRole(AriaRole.Link, new() { Name = "Profile", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/account/profile$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your profile", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.TextField("Name")).ToHaveValueAsync(server.Admin.Name);
        await browser.ScreenshotAsync(page, "profile");
        await page.SignOutAsync();
        await page.GotoAsync("/customers");
        await Expect(page).ToHaveURLAsync(SignIn.SignInPageUrl());
    }

    [Fact]
    public async Task NewCustomerForm_KeyboardOnly_TabsThroughLabelledFields_AndEnterShowsTheErrors()
    {
        await using var server = await AidaServer.StartAsync(output);
        await using var browser = await chromium.OpenAsync(server, output);
        var page = browser.Page;
        await page.SignInAsync(server.Admin);
        await page.GotoAsync("/customers/new");
        var keyboard = page.Keyboard;

        // The first stop skips the header; from there every stop is a control with a name, in reading order.
        await keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" })).ToBeFocusedAsync();
        await keyboard.PressAsync("Enter");
        (AriaRole Role, string Name)[] stops =
        [
            (AriaRole.Radio, "Organization"), (AriaRole.Textbox, "Name"), (AriaRole.Combobox, "Status"), (AriaRole.Combobox, "Source"),
            (AriaRole.Combobox, "Owner"), (AriaRole.Textbox, "External id"), (AriaRole.Textbox, "First name"), (AriaRole.Textbox, "Last name"),
            (AriaRole.Textbox, "Email"), (AriaRole.Textbox, "Phone"), (AriaRole.Textbox, "Job title"), (AriaRole.Textbox, "Legal name"),
            (AriaRole.Textbox, "Website"), (AriaRole.Textbox, "Industry"), (AriaRole.Combobox, "Employees"), (AriaRole.Button, "Create customer"),
        ];
        foreach (var (role, stop) in stops)
        {
            await keyboard.PressAsync("Tab");
            await Expect(page.GetByRole(role, new() { Name = stop, Exact = true })).ToBeFocusedAsync();
        }

        await browser.ScreenshotAsync(page, "new-customer-form-keyboard-focus");

        // Enter on the button submits the empty form: a summary of what is wrong, which takes the focus so a
        // keyboard or screen-reader user starts there, and each message at its field.
        await keyboard.PressAsync("Enter");
        var summary = page.GetByRole(AriaRole.Alert).Filter(new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Please correct the following" }) });
        await Expect(summary).ToBeVisibleAsync();
        await Expect(summary).ToBeFocusedAsync();
        await Expect(summary.GetByRole(AriaRole.Link)).ToHaveCountAsync(2);
        var nameError = summary.GetByRole(AriaRole.Link).Filter(new() { HasText = "name" });
        await Expect(nameError).ToHaveAttributeAsync("href", "#f-displayName");
        var typeError = summary.GetByRole(AriaRole.Link).Filter(new() { HasText = "Type" });
        await Expect(typeError).ToHaveTextAsync("Type: Is required: individual or organization.");
        var name = page.TextField("Name");
        await Expect(name).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(name).ToHaveAccessibleDescriptionAsync(new Regex("required", RegexOptions.IgnoreCase));
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Type" })).ToContainTextAsync("Is required: individual or organization.");
        await browser.ScreenshotAsync(page, "new-customer-form-errors");

        // Every control a keyboard reaches in the form has a name (a label) — checked for all of them, not only those above.
        var unnamed = await page.Locator("#customer-form").EvaluateAsync<string[]>("""
            form => [...form.querySelectorAll('input:not([type=hidden]), select, textarea, button')]
              .filter(el => !el.disabled && el.tabIndex >= 0)
              .filter(el => !(el.labels && [...el.labels].some(l => l.textContent.trim())) && !el.getAttribute('aria-label') && !(el.tagName === 'BUTTON' && el.textContent.trim()))
              .map(el => el.outerHTML)
            """);
        Assert.Empty(unnamed);

        // The summary's links lead to the fields: from the summary, Tab reaches its first link (the type's),
        // and Enter on it puts the focus on the first choice.
        await summary.FocusAsync();
        await keyboard.PressAsync("Tab");
        await Expect(typeError).ToBeFocusedAsync();
        await keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Radio, new() { Name = "Organization", Exact = true })).ToBeFocusedAsync();

        // Put right from the keyboard alone: choose the type with the space bar, type a name, submit with Enter from the field.
        await keyboard.PressAsync("Space");
        await Expect(page.GetByRole(AriaRole.Radio, new() { Name = "Organization", Exact = true })).ToBeCheckedAsync();
        await keyboard.PressAsync("Tab");
        await Expect(name).ToBeFocusedAsync();
        await keyboard.TypeAsync("Keyboard Cooperative");
        await keyboard.PressAsync("Enter");
        await page.ExpectCreatedAsync("Keyboard Cooperative");
    }

    [Fact]
    public async Task PhoneWidth_ListFormAndDetail_FitTheScreenWithoutSidewaysScrolling()
    {
        await using var server = await AidaServer.StartAsync(output);
        await using var browser = await chromium.OpenAsync(server, output);
        var page = browser.Page;
        await page.SetViewportSizeAsync(375, 740);
        await page.SignInAsync(server.Admin);
        // Every screen is measured, and all that scroll sideways are reported together.
        var tooWide = new List<string>();

        await page.GotoAsync("/customers/new");
        await page.FillNewOrganizationAsync(Acme);
        await MeasureAsync(page, "the new-customer form", tooWide);
        await browser.ScreenshotAsync(page, "phone-new-customer-form");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create customer", Exact = true }).ClickAsync();
        var id = await page.ExpectCreatedAsync(Acme.Name);
        await MeasureAsync(page, "the detail page's overview", tooWide);
        await browser.ScreenshotAsync(page, "phone-detail-overview");

        await page.Tabs().GetByRole(AriaRole.Link, new() { Name = "Contacts", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Contacts", Exact = true })).ToContainTextAsync("Grace Hopper");
        await MeasureAsync(page, "the detail page's contacts tab", tooWide);
        await browser.ScreenshotAsync(page, "phone-detail-contacts");

        await page.GotoAsync("/customers");
        await Expect(page.RowOf(id)).ToBeVisibleAsync();
        // The columns that matter stay; the wide ones give way.
        await Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "Owner" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "Primary contact" })).ToBeHiddenAsync();
        await MeasureAsync(page, "the customer list", tooWide);
        await browser.ScreenshotAsync(page, "phone-customer-list");

        Assert.True(tooWide.Count == 0, string.Join("\n", tooWide));
    }

    /// <summary>Notes the screen if the document is wider than the window, with the elements that reach past its right edge.</summary>
    private static async Task MeasureAsync(IPage page, string screen, List<string> tooWide)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        if (widths[0] > widths[1])
        {
            var past = await page.EvaluateAsync<string[]>("""
                () => {
                  const scrolls = e => { for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) { if (getComputedStyle(a).overflowX !== 'visible') return true; } return false; };
                  const outOfFlow = e => ['absolute', 'fixed'].includes(getComputedStyle(e).position);
                  // What a scrolling box holds does not widen the page — unless it is positioned out of that box.
                  return [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && (!scrolls(e) || outOfFlow(e)))
                    .slice(0, 8)
                    .map(e => `<${e.tagName.toLowerCase()}${e.className ? ' class="' + e.className + '"' : ''}>${(e.textContent || '').trim().slice(0, 30)}… to ${Math.round(e.getBoundingClientRect().right)}px`);
                }
                """);
            tooWide.Add($"On {screen} the document is {widths[0]}px wide, wider than the {widths[1]}px window (it scrolls sideways); past the edge: {string.Join(", ", past)}.");
        }
    }

    private static ILocator ContactRow(ILocator contacts, string name) =>
        contacts.GetByRole(AriaRole.Row).Filter(new() { Has = contacts.Page.GetByRole(AriaRole.Cell, new() { Name = name }) });

    private static ILocator PrimaryBadge(ILocator row) => row.GetByText("Primary", new() { Exact = true });

    private static async Task FillContactAsync(IPage page, string firstName, string lastName, string email, string phone, string jobTitle)
    {
        await page.TextField("First name").FillAsync(firstName);
        await page.TextField("Last name").FillAsync(lastName);
        await page.TextField("Email").FillAsync(email);
        await page.TextField("Phone").FillAsync(phone);
        await page.TextField("Job title").FillAsync(jobTitle);
        await Expect(page.GetByLabel("Primary contact", new() { Exact = true })).Not.ToBeCheckedAsync();
        await Expect(page.GetByLabel("Do not contact", new() { Exact = true })).Not.ToBeCheckedAsync();
    }

    private static async Task FillAddressAsync(IPage page, string type, string street, string? street2, string postalCode, string city, string country)
    {
        await page.GetByLabel("Type", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = type });
        await page.TextField("Street").FillAsync(street);
        if (street2 is not null)
        {
            await page.TextField("Street, second line").FillAsync(street2);
        }

        await page.TextField("Postal code").FillAsync(postalCode);
        await page.TextField("City").FillAsync(city);
        await page.TextField("Country code").FillAsync(country);
    }

    /// <summary>
    /// On an organization's hierarchy page: types <paramref name="search"/> into the picker, waits for htmx's
    /// matches, picks <paramref name="parentId"/> and moves; then the page says so and shows the parent above.
    /// </summary>
    private static async Task MoveUnderAsync(IPage page, string name, string search, string parentName, Guid parentId, int expectedMatches)
    {
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Move {name}" })).ToBeVisibleAsync();
        await page.GetByLabel("Under the organization").FillAsync(search);
        var matches = page.GetByRole(AriaRole.Group, new() { Name = "Matching customers" }).GetByRole(AriaRole.Radio);
        await Expect(matches).ToHaveCountAsync(expectedMatches);
        var parent = page.GetByRole(AriaRole.Radio, new() { Name = parentName }).And(page.Locator($"[value='{parentId}']"));
        await parent.CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Move under it", Exact = true }).ClickAsync();
        await Expect(page.Flash()).ToHaveTextAsync("The organization was moved.");
        var tree = page.GetByRole(AriaRole.Region, new() { Name = "Organization tree" });
        await Expect(tree.Locator("strong[aria-current]")).ToHaveTextAsync(name);
        await Expect(tree.GetByRole(AriaRole.Link, new() { Name = parentName, Exact = true })).ToHaveAttributeAsync("href", $"/customers/{parentId}/hierarchy");
    }
}
