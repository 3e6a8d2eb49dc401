using System.Net;
using Aida.Features.Customers;
using Aida.Features.Customers.Duplicates;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aida.Tests.Features.Customers;

/// <summary>
/// Issue 17 item 5, through the API: addresses with abbreviations, phones in national and international form,
/// household members sharing a phone, and the two tiers (refused at high confidence; created with the
/// candidates at medium confidence).
/// </summary>
public sealed class MatchingQualityApiTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    /// <summary>A postal code no other test uses, so only this test's records share the address.</summary>
    private static string UniquePostalCode() => Random.Shared.Next(10000, 99999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A French number (9 national digits after the trunk 0) no other test uses.</summary>
    private static string UniqueFrenchDigits() => "1" + Random.Shared.Next(10000000, 99999999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static object Person(string first, string last, string? phone = null, object[]? addresses = null) => new
    {
        type = "individual",
        displayName = $"{first} {last}",
        primaryContact = new { firstName = first, lastName = last, phone },
        addresses,
    };

    private static object[] At(string street, string postalCode, string city, string country) =>
        [new { addressType = "billing", streetLine1 = street, postalCode, city, country }];

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_SameNameAtTheSameStreetWrittenDifferently_Returns409(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var postal = UniquePostalCode();
        var existing = await (await app.Client.PostJsonAsync("/api/v1/customers", Person("Jürgen", "Weiß", addresses: At("Hauptstr. 5", postal, "Berlin", "DE"))))
            .ExpectAsync(HttpStatusCode.Created);

        var problem = await (await app.Client.PostJsonAsync("/api/v1/customers", Person("Jürgen", "Weiss", addresses: At("Hauptstraße 5", postal, "Berlin", "DE"))))
            .ExpectProblemAsync(HttpStatusCode.Conflict);

        var candidate = Assert.Single(problem.GetProperty("candidates").EnumerateArray());
        Assert.Equal(existing.Id(), candidate.Id());
        Assert.Contains("address", candidate.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_SameNameAtAnotherHouseNumberInAnotherCity_IsCreatedWithoutWarning(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var last = "Weiß" + Builders.Unique("x")[1..5];
        await (await app.Client.PostJsonAsync("/api/v1/customers", Person("Jürgen", last, addresses: At("Hauptstr. 5", UniquePostalCode(), "Berlin", "DE"))))
            .ExpectAsync(HttpStatusCode.Created);

        var created = await (await app.Client.PostJsonAsync("/api/v1/customers", Person("Jürgen", last, addresses: At("Hauptstraße 7", UniquePostalCode(), "München", "DE"))))
            .ExpectAsync(HttpStatusCode.Created);

        // A different city (and postal code) is evidence against: the same name alone there is not worth a warning.
        Assert.False(created.TryGetProperty("possibleDuplicates", out _));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_FrenchNumberTypedNationally_MatchesTheInternationalForm_Returns409(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var digits = UniqueFrenchDigits();
        var international = $"+33 {digits[0]} {digits[1..3]} {digits[3..5]} {digits[5..7]} {digits[7..]}";
        var national = $"0{digits[0]} {digits[1..3]} {digits[3..5]} {digits[5..7]} {digits[7..]}";
        var existing = await (await app.Client.PostJsonAsync("/api/v1/customers", Person("Camille", "Durand", phone: international)))
            .ExpectAsync(HttpStatusCode.Created);

        var problem = await (await app.Client.PostJsonAsync("/api/v1/customers", Person("Camille", "Durand", phone: national, addresses: At("12 rue de Rivoli", "75001", "Paris", "FR"))))
            .ExpectProblemAsync(HttpStatusCode.Conflict);

        var candidate = Assert.Single(problem.GetProperty("candidates").EnumerateArray());
        Assert.Equal(existing.Id(), candidate.Id());
        Assert.Contains("phone", candidate.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_HouseholdMembersSharingAPhone_AreNotRefused(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var phone = "+46 8 " + Random.Shared.Next(1000000, 9999999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await (await app.Client.PostJsonAsync("/api/v1/customers", Person("Anna", "Lindqvist", phone: phone))).ExpectAsync(HttpStatusCode.Created);

        // Same family name and phone, another first name: another person of the household. Created, at most flagged.
        await (await app.Client.PostJsonAsync("/api/v1/customers", Person("Erik", "Lindqvist", phone: phone))).ExpectAsync(HttpStatusCode.Created);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_MediumConfidence_CreatesAndReturnsTheCandidatesInBodyAndHeader(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var last = "Okonkwo" + Builders.Unique("")[..4];
        var existing = await (await app.Client.PostJsonAsync("/api/v1/customers", Person("Robert", last))).ExpectAsync(HttpStatusCode.Created);

        // "Bob" is Robert's nickname; a name alone is medium confidence: created, with the candidate named.
        var response = await app.Client.PostJsonAsync("/api/v1/customers", Person("Bob", last));
        var created = await response.ExpectAsync(HttpStatusCode.Created);

        var candidate = Assert.Single(created.GetProperty("possibleDuplicates").EnumerateArray());
        Assert.Equal(existing.Id(), candidate.Id());
        var score = candidate.GetProperty("score").GetDouble();
        Assert.True(score is >= 0.5 and <= 0.8, $"score {score}");
        Assert.Equal(existing.Id().ToString(), Assert.Single(response.Headers.GetValues(CreateCustomer.PossibleDuplicatesHeader)));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_NoMatch_HasNoPossibleDuplicates(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);

        var response = await app.Client.PostJsonAsync("/api/v1/customers", Person("Xiomara", Builders.Unique("Quill")));
        var created = await response.ExpectAsync(HttpStatusCode.Created);

        Assert.False(created.TryGetProperty("possibleDuplicates", out _));
        Assert.False(response.Headers.Contains(CreateCustomer.PossibleDuplicatesHeader));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task BlockingKeyBackfill_FillsNameBlocks_OfCustomersStoredWithoutTheKey_AndTheyAreFoundByIt(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var last = "Okafor" + Builders.Unique("")[..4];
        var existing = await (await app.Client.PostJsonAsync("/api/v1/customers", Person("Edward", last))).ExpectAsync(HttpStatusCode.Created);
        var id = existing.Id();
        // As a row stored before migration 0014 has it.
        await app.QueryAsync(d => d.Set<Customer>().IgnoreQueryFilters().Where(c => c.Id == id)
            .ExecuteUpdateAsync(update => update.SetProperty(c => c.NameBlock, (string?)null)));

        var backfill = new BlockingKeyBackfill(app.Services.GetRequiredService<IServiceScopeFactory>(), NullLogger<BlockingKeyBackfill>.Instance);
        while (await backfill.FillNameBlocksAsync(CancellationToken.None) > 0)
        {
        }

        var stored = await app.QueryAsync(d => d.Set<Customer>().IgnoreQueryFilters().Where(c => c.Id == id).Select(c => c.NameBlock).SingleAsync());
        Assert.Equal(NameMatching.NameBlock(CustomerType.Individual, $"Edward {last}"), stored);
        // "Eddie" is found through the key (the name key and its sound differ).
        var created = await (await app.Client.PostJsonAsync("/api/v1/customers", Person("Eddie", last))).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(id, Assert.Single(created.GetProperty("possibleDuplicates").EnumerateArray()).Id());
    }

    /// <summary>A city no other test uses, so only this test's records share the street key.</summary>
    private static string UniqueCity() => "Neustadt " + string.Concat(Guid.NewGuid().ToString("N")[..10].Select(c => (char)('a' + Convert.ToInt32(c.ToString(), 16))));

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_TypoInFamilyNameAndPostalCodeAtTheSameStreet_IsRefusedThroughTheStreetKey(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var city = UniqueCity();
        var postal = UniquePostalCode();
        var mistyped = postal[..4] + (char)('0' + ((postal[4] - '0' + 1) % 10));
        // "Weber" and "Wener" sound different (name key, sound and name block all differ) and so do the postal codes: only the street is shared.
        var existing = await (await app.Client.PostJsonAsync("/api/v1/customers", Person("Annegret", "Weber", addresses: At("Lindenstraße 12", postal, city, "DE"))))
            .ExpectAsync(HttpStatusCode.Created);

        // Same given name, a one-letter family-name typo, the same street address in the same city: refused as before
        // when the postal code agreed; only the street key brings the pair together now that it does not.
        var problem = await (await app.Client.PostJsonAsync("/api/v1/customers", Person("Annegret", "Wener", addresses: At("Lindenstr. 12", mistyped, city, "DE"))))
            .ExpectProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal(existing.Id(), Assert.Single(problem.GetProperty("candidates").EnumerateArray()).Id());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task BlockingKeyBackfill_FillsAddressesStoredWithoutTheStreetKey_AndTheyAreFoundByIt(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var city = UniqueCity();
        var postal = UniquePostalCode();
        var mistyped = postal[..4] + (char)('0' + ((postal[4] - '0' + 1) % 10));
        var existing = await (await app.Client.PostJsonAsync("/api/v1/customers", Person("Annegret", "Weber", addresses: At("Lindenstraße 12", postal, city, "DE"))))
            .ExpectAsync(HttpStatusCode.Created);
        var id = existing.Id();
        // As a row stored before migration 0018 has it.
        await app.QueryAsync(d => d.Set<Aida.Features.Customers.Addresses.Address>().IgnoreQueryFilters().Where(a => a.CustomerId == id)
            .ExecuteUpdateAsync(update => update.SetProperty(a => a.StreetKey, (string?)null)));

        var backfill = new BlockingKeyBackfill(app.Services.GetRequiredService<IServiceScopeFactory>(), NullLogger<BlockingKeyBackfill>.Instance);
        while (await backfill.FillStreetKeysAsync(CancellationToken.None) > 0)
        {
        }

        var stored = await app.QueryAsync(d => d.Set<Aida.Features.Customers.Addresses.Address>().IgnoreQueryFilters().Where(a => a.CustomerId == id).Select(a => a.StreetKey).SingleAsync());
        Assert.Equal(AddressMatching.StreetKey("Lindenstraße 12", city, postal), stored);
        Assert.StartsWith("12|", stored, StringComparison.Ordinal);
        var problem = await (await app.Client.PostJsonAsync("/api/v1/customers", Person("Annegret", "Wener", addresses: At("Lindenstr. 12", mistyped, city, "DE"))))
            .ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(id, Assert.Single(problem.GetProperty("candidates").EnumerateArray()).Id());
    }
}
