using System.Net;
using Aida.Tests.Infrastructure;

namespace Aida.Tests.Features.Customers;

/// <summary>Name-prefix contact search reads in phases; paging must still see every match exactly once.</summary>
public sealed class NamePrefixSearchTests
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Search_OneWord_LastNamesThenFirstNamesThenEmails_EachContactOnceAcrossPages(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        var customer = await app.Client.CreateOrganizationAsync();
        var id = customer.Id();
        (string First, string Last, string? Email)[] people =
        [
            ("Ann", "Kelso", null), ("Bea", "Kelly", null), ("Kelsey", "Adams", null), ("Kelvin", "Kelman", null),
            ("Zed", "Brown", "kelp@example.org"), ("Amy", "Stone", null), ("Kel", "Kelby", "kel@example.org"),
        ];
        foreach (var (first, last, email) in people)
        {
            await app.Client.CreateContactAsync(id, new { firstName = first, lastName = last, email });
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await (await app.Client.GetAsync($"/api/v1/contacts?q=kel&limit=2{(cursor is null ? "" : $"&cursor={cursor}")}"))
                .ExpectAsync(HttpStatusCode.OK);
            seen.AddRange(page.Items().Select(c => $"{c.Str("firstName")} {c.Str("lastName")}"));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        // Last-name matches in name order, then first-name-only matches, then email-only matches.
        Assert.Equal(["Kel Kelby", "Bea Kelly", "Kelvin Kelman", "Ann Kelso", "Kelsey Adams", "Zed Brown"], seen);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Search_TwoWords_MatchesEitherWayRoundOnce(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        var customer = await app.Client.CreateOrganizationAsync();
        foreach (var (first, last) in new[] { ("Ann", "Lee"), ("Lee", "Annan"), ("Ann", "Leeds"), ("Anna", "Smith"), ("Mary Ann", "Lee") })
        {
            await app.Client.CreateContactAsync(customer.Id(), new { firstName = first, lastName = last });
        }

        var page = await (await app.Client.GetAsync("/api/v1/contacts?q=ann%20lee")).ExpectAsync(HttpStatusCode.OK);

        var names = page.Items().Select(c => $"{c.Str("firstName")} {c.Str("lastName")}").ToList();
        Assert.Equal(["Ann Lee", "Ann Leeds", "Lee Annan"], names);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Search_CursorFromAnotherOrder_Returns400(DatabaseKind db)
    {
        await using var app = await AidaApp.StartAsync(db);
        var customer = await app.Client.CreateOrganizationAsync();
        for (var i = 0; i < 3; i++)
        {
            await app.Client.CreateContactAsync(customer.Id(), new { firstName = $"Kim{i}", lastName = "Park" });
        }

        var byDate = await (await app.Client.GetAsync("/api/v1/contacts?limit=1&sort=createdAt")).ExpectAsync(HttpStatusCode.OK);
        var cursor = byDate.GetProperty("nextCursor").GetString();

        await (await app.Client.GetAsync($"/api/v1/contacts?q=park&cursor={cursor}")).ExpectProblemAsync(HttpStatusCode.BadRequest, "cursor");
    }
}
