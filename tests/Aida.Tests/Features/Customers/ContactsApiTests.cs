using System.Net;
using System.Text.Json;
using Aida.Features.Customers.Contacts;
using Aida.Platform.Data;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Customers;

public sealed class ContactsApiTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_FirstContact_BecomesPrimaryAndLaterOnesDoNot(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();

        var first = await app.Client.CreateContactAsync(customer.Id(), new { firstName = "First", lastName = "Person" });
        var second = await app.Client.CreateContactAsync(customer.Id(), new { firstName = "Second", lastName = "Person" });

        Assert.True(first.GetProperty("isPrimary").GetBoolean());
        Assert.False(second.GetProperty("isPrimary").GetBoolean());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_SecondPrimary_DemotesPrevious(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync(primaryContact: new { firstName = "Old", lastName = "Primary" });
        var id = customer.Id();

        var created = await app.Client.CreateContactAsync(id, new { firstName = "New", lastName = "Primary", isPrimary = true });

        Assert.True(created.GetProperty("isPrimary").GetBoolean());
        Assert.Equal([created.Id()], await PrimariesViaApiAsync(app, id));
        Assert.Equal([created.Id()], await PrimariesInDatabaseAsync(app, id));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Patch_IsPrimaryTrue_DemotesPrevious(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync(primaryContact: new { firstName = "Old", lastName = "Primary" });
        var id = customer.Id();
        var other = await app.Client.CreateContactAsync(id, new { firstName = "Soon", lastName = "Primary" });

        var patched = await (await app.Client.PatchJsonAsync($"/api/v1/customers/{id}/contacts/{other.Id()}", new { isPrimary = true }, "\"1\""))
            .ExpectAsync(HttpStatusCode.OK);

        Assert.True(patched.GetProperty("isPrimary").GetBoolean());
        Assert.Equal([other.Id()], await PrimariesViaApiAsync(app, id));
        Assert.Equal([other.Id()], await PrimariesInDatabaseAsync(app, id));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Insert_SecondPrimaryBypassingApi_RejectedByUniqueIndex(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync(primaryContact: new { firstName = "Only", lastName = "Primary" });

        var error = await Assert.ThrowsAsync<DbUpdateException>(() => app.QueryAsync(async d =>
        {
            d.Add(new Contact { CustomerId = customer.Id(), FirstName = "Second", LastName = "Primary", IsPrimary = true });
            return await d.SaveChangesAsync();
        }));

        Assert.True(DbErrors.IsUniqueViolation(error, out var field, out _), error.InnerException?.Message);
        Assert.Equal("isPrimary", field);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Delete_Primary_NextContactBecomesPrimary(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync(primaryContact: new { firstName = "Leaving", lastName = "Primary" });
        var id = customer.Id();
        await (await app.Client.DeleteAsync($"/api/v1/customers/{id}/contacts/{customer.GetProperty("primaryContact").Id()}", "\"1\""))
            .ExpectAsync(HttpStatusCode.NoContent);

        // The deleted row still holds is_primary, so this also needs the index to ignore deleted rows.
        var next = await app.Client.CreateContactAsync(id, new { firstName = "Next", lastName = "Primary" });

        Assert.True(next.GetProperty("isPrimary").GetBoolean());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_MalformedEmail_Returns400NamingEmailAndStoresNothing(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();
        var contacts = await app.QueryAsync(d => d.Set<Contact>().CountAsync());

        foreach (var email in new[] { "not-an-email", "ann@", "ann@example", "Ann <ann@example.com>", "ann @example.com" })
        {
            await (await app.Client.PostJsonAsync($"/api/v1/customers/{customer.Id()}/contacts", new { firstName = "Ann", lastName = "Lee", email }))
                .ExpectProblemAsync(HttpStatusCode.BadRequest, "email");
        }

        Assert.Equal(contacts, await app.QueryAsync(d => d.Set<Contact>().CountAsync()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Patch_MalformedEmail_Returns400NamingEmailAndKeepsOldEmail(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();
        var contact = await app.Client.CreateContactAsync(customer.Id(), new { firstName = "Ann", lastName = "Lee", email = "ann@example.com" });
        var url = $"/api/v1/customers/{customer.Id()}/contacts/{contact.Id()}";

        await (await app.Client.PatchJsonAsync(url, new { email = "ann.example.com" })).ExpectProblemAsync(HttpStatusCode.BadRequest, "email");

        Assert.Equal("ann@example.com", (await (await app.Client.GetAsync(url)).ExpectAsync(HttpStatusCode.OK)).Str("email"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_PhoneInAnyFormat_AcceptedAndStoredAsEntered(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();

        foreach (var phone in new[] { "+49 (0)30 1234-5678", "555.010.9999 x12" })
        {
            var contact = await app.Client.CreateContactAsync(customer.Id(), new { firstName = "Phil", lastName = "Phone", phone });
            Assert.Equal(phone, contact.Str("phone"));
        }
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_PhoneUnderFiveDigits_Returns400NamingPhone(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();

        // An extension does not count towards the number itself.
        foreach (var phone in new[] { "12-34", "(+1) 23 x456789" })
        {
            await (await app.Client.PostJsonAsync($"/api/v1/customers/{customer.Id()}/contacts", new { firstName = "Phil", lastName = "Phone", phone }))
                .ExpectProblemAsync(HttpStatusCode.BadRequest, "phone");
        }
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_EmailPreferenceWithoutEmail_Returns400NamingPreference(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();

        await (await app.Client.PostJsonAsync($"/api/v1/customers/{customer.Id()}/contacts",
                new { firstName = "Mail", lastName = "Less", phone = "+1 555 010 9999", communicationPreference = "email" }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "communicationPreference");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Patch_RemovingEmailOfEmailPreferringContact_Returns400NamingPreference(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();
        var contact = await app.Client.CreateContactAsync(customer.Id(),
            new { firstName = "Mail", lastName = "Lover", email = "mail@example.com", communicationPreference = "email" });

        await (await app.Client.PatchJsonAsync($"/api/v1/customers/{customer.Id()}/contacts/{contact.Id()}", new { email = (string?)null }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "communicationPreference");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Access_ContactThroughOtherCustomersUrl_Returns404AndChangesNothing(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var owner = await app.Client.CreateOrganizationAsync();
        var stranger = await app.Client.CreateOrganizationAsync();
        var contact = await app.Client.CreateContactAsync(owner.Id(), new { firstName = "Kept", lastName = "Apart" });
        var wrongUrl = $"/api/v1/customers/{stranger.Id()}/contacts/{contact.Id()}";

        await (await app.Client.GetAsync(wrongUrl)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await app.Client.PatchJsonAsync(wrongUrl, new { firstName = "Hijacked" })).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await app.Client.DeleteAsync(wrongUrl, null)).ExpectProblemAsync(HttpStatusCode.NotFound);

        var current = await (await app.Client.GetAsync($"/api/v1/customers/{owner.Id()}/contacts/{contact.Id()}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Kept", current.Str("firstName"));
        Assert.Equal(1, current.GetProperty("version").GetInt32());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Patch_StaleIfMatch_Returns412AndLeavesContactUnchanged(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();
        var contact = await app.Client.CreateContactAsync(customer.Id(), new { firstName = "Stale", lastName = "Contact" });
        var url = $"/api/v1/customers/{customer.Id()}/contacts/{contact.Id()}";
        await (await app.Client.PatchJsonAsync(url, new { jobTitle = "CTO" }, "\"1\"")).ExpectAsync(HttpStatusCode.OK);

        var problem = await (await app.Client.PatchJsonAsync(url, new { firstName = "Lost" }, "\"1\""))
            .ExpectProblemAsync(HttpStatusCode.PreconditionFailed);

        Assert.Equal(2, problem.GetProperty("currentVersion").GetInt32());
        var current = await (await app.Client.GetAsync(url)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Stale", current.Str("firstName"));
        Assert.Equal(2, current.GetProperty("version").GetInt32());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Delete_Contact_SoftDeletesAndHidesItEverywhere(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();
        var kept = await app.Client.CreateContactAsync(customer.Id(), new { firstName = "Kept", lastName = "Gone" });
        var deleted = await app.Client.CreateContactAsync(customer.Id(), new { firstName = "Deleted", lastName = "Gone" });
        var url = $"/api/v1/customers/{customer.Id()}/contacts/{deleted.Id()}";

        await (await app.Client.DeleteAsync(url, "\"1\"")).ExpectAsync(HttpStatusCode.NoContent);

        await (await app.Client.GetAsync(url)).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal([kept.Id()], await IdsAsync(app, $"/api/v1/customers/{customer.Id()}/contacts"));
        Assert.Equal([kept.Id()], await IdsAsync(app, "/api/v1/contacts?q=gone"));
        var deletedAt = await app.QueryAsync(d => d.Set<Contact>().IgnoreQueryFilters()
            .Where(c => c.Id == deleted.Id()).Select(c => c.DeletedAt).SingleAsync());
        Assert.NotNull(deletedAt);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Search_NamePrefix_IgnoresCaseAndAccents(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        var first = await app.Client.CreateOrganizationAsync();
        var second = await app.Client.CreateOrganizationAsync();
        var muller = await app.Client.CreateContactAsync(first.Id(), new { firstName = "Dora", lastName = "Müller" });
        await app.Client.CreateContactAsync(first.Id(), new { firstName = "Eve", lastName = "Mueller" });
        var zoe = await app.Client.CreateContactAsync(second.Id(), new { firstName = "Zoë", lastName = "Baker" });

        Assert.Equal([muller.Id()], await IdsAsync(app, "/api/v1/contacts?q=mul"));
        Assert.Equal([muller.Id()], await IdsAsync(app, $"/api/v1/contacts?q={Uri.EscapeDataString("MÜL")}"));
        Assert.Equal([zoe.Id()], await IdsAsync(app, "/api/v1/contacts?q=ZOE"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Search_TwoWords_MatchFirstAndLastNameInEitherOrder(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        var customer = await app.Client.CreateOrganizationAsync();
        var annLee = await app.Client.CreateContactAsync(customer.Id(), new { firstName = "Ann", lastName = "Lee" });
        await app.Client.CreateContactAsync(customer.Id(), new { firstName = "Ann", lastName = "Baker" });
        await app.Client.CreateContactAsync(customer.Id(), new { firstName = "Carl", lastName = "Lee" });

        Assert.Equal([annLee.Id()], await IdsAsync(app, "/api/v1/contacts?q=ann%20lee"));
        Assert.Equal([annLee.Id()], await IdsAsync(app, "/api/v1/contacts?q=lee%20ann"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Search_Email_MatchesNormalisedMailbox(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        var customer = await app.Client.CreateOrganizationAsync();
        var ann = await app.Client.CreateContactAsync(customer.Id(), new { firstName = "Ann", lastName = "Lee", email = "ann@example.com" });
        await app.Client.CreateContactAsync(customer.Id(), new { firstName = "Anna", lastName = "Lee", email = "anna@example.com" });

        var found = await IdsAsync(app, $"/api/v1/contacts?email={Uri.EscapeDataString("Ann+news@Example.com")}");

        Assert.Equal([ann.Id()], found);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Search_PhoneWrittenDifferently_FindsContact(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        var customer = await app.Client.CreateOrganizationAsync();
        var caller = await app.Client.CreateContactAsync(customer.Id(), new { firstName = "Phil", lastName = "Caller", phone = "+1 (555) 010-9999" });
        await app.Client.CreateContactAsync(customer.Id(), new { firstName = "Other", lastName = "Caller", phone = "+1 (555) 010-8888" });
        await app.Client.CreateContactAsync(customer.Id(), new { firstName = "Silent", lastName = "Caller" });

        var found = await IdsAsync(app, $"/api/v1/contacts?phone={Uri.EscapeDataString("555.010.9999")}");

        Assert.Equal([caller.Id()], found);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Search_PhoneTooShortToMatch_Returns400NamingPhone(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();
        await app.Client.CreateContactAsync(customer.Id(), new { firstName = "No", lastName = "Phone" });

        // Too few digits to compare; it must not turn into "contacts without a phone".
        await (await app.Client.GetAsync("/api/v1/contacts?phone=12")).ExpectProblemAsync(HttpStatusCode.BadRequest, "phone");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Search_NameWithPunctuation_FoundAsWritten(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();
        var oneil = await app.Client.CreateContactAsync(customer.Id(), new { firstName = "Siobhan", lastName = "O'Neil" });
        var smithJones = await app.Client.CreateContactAsync(customer.Id(), new { firstName = "Jean-Luc", lastName = "Smith-Jones" });

        Assert.Equal([oneil.Id()], await IdsAsync(app, $"/api/v1/contacts?q={Uri.EscapeDataString("o'neil")}"));
        Assert.Equal([smithJones.Id()], await IdsAsync(app, "/api/v1/contacts?q=smith-jones"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Search_CursorPaging_VisitsEveryContactOnceInNameOrder(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        var first = await app.Client.CreateOrganizationAsync();
        var second = await app.Client.CreateOrganizationAsync();
        // Created out of order; two identical names put the id tie-break on a page boundary.
        var muller = await app.Client.CreateContactAsync(first.Id(), new { firstName = "Dora", lastName = "Müller" });
        var leeAnn1 = await app.Client.CreateContactAsync(second.Id(), new { firstName = "Ann", lastName = "Lee" });
        var baker = await app.Client.CreateContactAsync(first.Id(), new { firstName = "Bob", lastName = "Baker" });
        var mueller = await app.Client.CreateContactAsync(second.Id(), new { firstName = "Eve", lastName = "Mueller" });
        var leeCarl = await app.Client.CreateContactAsync(first.Id(), new { firstName = "Carl", lastName = "Lee" });
        var angstrom = await app.Client.CreateContactAsync(second.Id(), new { firstName = "Zoë", lastName = "Ångström" });
        var leeAnn2 = await app.Client.CreateContactAsync(first.Id(), new { firstName = "Ann", lastName = "Lee" });
        var sameName = new[] { leeAnn1.Id(), leeAnn2.Id() }.Order(Comparer<Guid>.Create((a, b) => string.CompareOrdinal(a.ToString(), b.ToString()))).ToArray();
        Guid[] expected = [angstrom.Id(), baker.Id(), sameName[0], sameName[1], leeCarl.Id(), mueller.Id(), muller.Id()];

        var visited = new List<Guid>();
        var pages = 0;
        string? cursor = null;
        do
        {
            var url = "/api/v1/contacts?limit=3" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
            var page = await (await app.Client.GetAsync(url)).ExpectAsync(HttpStatusCode.OK);
            visited.AddRange(page.Items().Select(i => i.Id()));
            cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.Null ? null : page.Str("nextCursor");
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(expected, visited);
        Assert.Equal(3, pages);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Search_BadCursor_Returns400NamingCursor(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();
        for (var i = 0; i < 3; i++)
        {
            await app.Client.CreateContactAsync(customer.Id(), new { firstName = $"Page{i}", lastName = "Turner" });
        }

        var byName = await (await app.Client.GetAsync("/api/v1/contacts?limit=1")).ExpectAsync(HttpStatusCode.OK);

        await (await app.Client.GetAsync("/api/v1/contacts?cursor=not-a-cursor")).ExpectProblemAsync(HttpStatusCode.BadRequest, "cursor");
        // A real cursor replayed against another sort is just as unusable.
        await (await app.Client.GetAsync($"/api/v1/contacts?sort=createdAt&cursor={Uri.EscapeDataString(byName.Str("nextCursor"))}"))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "cursor");
    }

    private static async Task<Guid[]> IdsAsync(AidaApp app, string url) =>
        (await (await app.Client.GetAsync(url)).ExpectAsync(HttpStatusCode.OK)).Items().Select(i => i.Id()).ToArray();

    private static async Task<Guid[]> PrimariesViaApiAsync(AidaApp app, Guid customerId) =>
        (await (await app.Client.GetAsync($"/api/v1/customers/{customerId}/contacts")).ExpectAsync(HttpStatusCode.OK)).Items()
            .Where(c => c.GetProperty("isPrimary").GetBoolean())
            .Select(c => c.Id())
            .ToArray();

    private static Task<Guid[]> PrimariesInDatabaseAsync(AidaApp app, Guid customerId) =>
        app.QueryAsync(d => d.Set<Contact>().Where(c => c.CustomerId == customerId && c.IsPrimary).Select(c => c.Id).ToArrayAsync());
}
