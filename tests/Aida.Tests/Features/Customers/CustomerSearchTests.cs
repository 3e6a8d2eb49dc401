using System.Net;
using System.Text.Json;
using Aida.Features.Customers;
using Aida.Features.Customers.Contacts;
using Aida.Features.Import;
using Aida.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Aida.Tests.Features.Customers;

/// <summary>
/// The customer list's <c>q</c>: a name prefix, an exact external id or a contact's email — whichever
/// matches — in every sort, including a prefix so broad that the list walks the time index instead.
/// </summary>
public sealed class CustomerSearchTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Q_FindsByNamePrefix_ExactExternalId_AndContactEmail_Together(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var tag = Builders.Unique("sq");
        var byName = await app.Client.CreateIndividualAsync($"{tag} Person");
        var byExternalId = await (await app.Client.PostJsonAsync("/api/v1/customers?allowDuplicate=true",
            new { type = "organization", displayName = Builders.Unique("Elsewhere "), externalId = tag })).ExpectAsync(HttpStatusCode.Created);
        var email = $"{tag}@mail.example";
        var byEmail = await app.Client.CreateIndividualAsync(email: email);

        var forTag = await IdsAsync(app, $"q={tag}&sort=displayName");
        var forEmail = await IdsAsync(app, $"q={Uri.EscapeDataString(email.ToUpperInvariant())}");
        var forCreated = await IdsAsync(app, $"q={tag}&sort=-createdAt");

        Assert.Equal([Id(byName), Id(byExternalId)], forTag.Order());
        Assert.Equal([Id(byEmail)], forEmail);
        Assert.Equal([Id(byExternalId), Id(byName)], forCreated);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Q_WithABroadPrefixSortedByTime_ListsEveryMatchNewestFirst_AcrossPages(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var tag = Builders.Unique("br");
        // More matches than the threshold at which the list walks the time index instead of the name range.
        var rows = Enumerable.Range(0, 1_030).Select(i => Person($"{tag} {i:D4}"))
            .Concat(Enumerable.Range(0, 20).Select(i => Person($"{Builders.Unique("other")} {i}")));
        var result = await app.Services.GetRequiredService<CustomerImporter>()
            .ImportAsync(rows.ToAsyncEnumerable(), new ImportOptions { BatchSize = 300 }, null, CancellationToken.None);
        Assert.Equal(1_050, result.Imported);

        var seen = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await (await app.Client.GetAsync($"/api/v1/customers?q={tag}&sort=-createdAt&limit=200"
                + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"))).ExpectAsync(HttpStatusCode.OK);
            seen.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(1_030, seen.Count);
        Assert.All(seen, c => Assert.StartsWith(tag, c.GetProperty("displayName").GetString(), StringComparison.Ordinal));
        Assert.Equal(1_030, seen.Select(c => c.GetProperty("id").GetGuid()).Distinct().Count());
        var order = seen.Select(c => (c.GetProperty("createdAt").GetDateTime(), c.GetProperty("id").GetString()!)).ToList();
        Assert.Equal(order.OrderByDescending(o => o.Item1).ThenByDescending(o => o.Item2, StringComparer.Ordinal), order);
    }

    private static CreateCustomer.Request Person(string name) => new(
        CustomerType.Individual, name, null, CustomerSource.Import, null, null, null,
        new ContactFields(name.Split(' ')[0], name.Split(' ')[^1], null, null, null, null, null, null, null), null, null);

    private static async Task<List<Guid>> IdsAsync(AidaApp app, string query)
    {
        var page = await (await app.Client.GetAsync($"/api/v1/customers?{query}")).ExpectAsync(HttpStatusCode.OK);
        return page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).ToList();
    }

    private static Guid Id(JsonElement customer) => customer.GetProperty("id").GetGuid();
}
