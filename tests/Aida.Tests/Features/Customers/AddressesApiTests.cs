using System.Net;
using System.Text.Json;
using Aida.Features.Customers;
using Aida.Features.Customers.Addresses;
using Aida.Platform.Data;
using Aida.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aida.Tests.Features.Customers;

public sealed class AddressesApiTests(AidaFixture fixture) : IClassFixture<AidaFixture>
{
    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_FirstOfType_BecomesDefaultAndLaterOnesDoNot(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();

        var first = await CreateAddressAsync(app, customer.Id(), "billing");
        var second = await CreateAddressAsync(app, customer.Id(), "billing");

        Assert.True(first.GetProperty("isDefault").GetBoolean());
        Assert.False(second.GetProperty("isDefault").GetBoolean());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_SecondDefaultOfSameType_DemotesFirst(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();
        var id = customer.Id();
        await CreateAddressAsync(app, id, "billing");

        var second = await CreateAddressAsync(app, id, "billing", isDefault: true);

        Assert.True(second.GetProperty("isDefault").GetBoolean());
        Assert.Equal([second.Id()], await DefaultsViaApiAsync(app, id, "billing"));
        Assert.Equal([second.Id()], await DefaultsInDatabaseAsync(app, id, AddressType.Billing));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_DefaultOfAnotherType_LeavesExistingDefaultAlone(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();
        var id = customer.Id();
        var billing = await CreateAddressAsync(app, id, "billing");

        var shipping = await CreateAddressAsync(app, id, "shipping", isDefault: true);

        Assert.True(shipping.GetProperty("isDefault").GetBoolean());
        Assert.Equal([billing.Id()], await DefaultsViaApiAsync(app, id, "billing"));
        Assert.Equal([shipping.Id()], await DefaultsViaApiAsync(app, id, "shipping"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Patch_IsDefaultTrue_SwitchesDefaultOfItsType(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();
        var id = customer.Id();
        await CreateAddressAsync(app, id, "shipping");
        var other = await CreateAddressAsync(app, id, "shipping");

        var patched = await (await app.Client.PatchJsonAsync($"/api/v1/customers/{id}/addresses/{other.Id()}", new { isDefault = true }, "\"1\""))
            .ExpectAsync(HttpStatusCode.OK);

        Assert.True(patched.GetProperty("isDefault").GetBoolean());
        Assert.Equal([other.Id()], await DefaultsViaApiAsync(app, id, "shipping"));
        Assert.Equal([other.Id()], await DefaultsInDatabaseAsync(app, id, AddressType.Shipping));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Insert_SecondDefaultBypassingApi_RejectedByUniqueIndex(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();
        await CreateAddressAsync(app, customer.Id(), "billing");

        var error = await Assert.ThrowsAsync<DbUpdateException>(() => app.QueryAsync(async d =>
        {
            d.Add(new Address
            {
                CustomerId = customer.Id(),
                AddressType = AddressType.Billing,
                IsDefault = true,
                StreetLine1 = "2 Second St",
                City = "Town",
                Country = "DE",
            });
            return await d.SaveChangesAsync();
        }));

        Assert.True(DbErrors.IsUniqueViolation(error, out var field, out _), error.InnerException?.Message);
        Assert.Equal("isDefault", field);
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_LowercaseCountry_StoredUppercase(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();

        var created = await CreateAddressAsync(app, customer.Id(), "billing", country: "de");

        Assert.Equal("DE", created.Str("country"));
        Assert.Equal("DE", await app.QueryAsync(d => d.Set<Address>().Where(a => a.Id == created.Id()).Select(a => a.Country).SingleAsync()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_UnassignedOrAlpha3Country_Returns400NamingCountry(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var addressesBefore = await app.QueryAsync(d => d.Set<Address>().CountAsync());
        var customer = await app.Client.CreateOrganizationAsync();

        foreach (var country in new[] { "XX", "DEU", "UK" })
        {
            await (await app.Client.PostJsonAsync($"/api/v1/customers/{customer.Id()}/addresses", Body("billing", country: country)))
                .ExpectProblemAsync(HttpStatusCode.BadRequest, "country");
        }

        Assert.Equal(addressesBefore, await app.QueryAsync(d => d.Set<Address>().CountAsync()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Patch_UnknownCountry_Returns400AndKeepsCountry(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();
        var address = await CreateAddressAsync(app, customer.Id(), "billing", country: "FR");
        var url = $"/api/v1/customers/{customer.Id()}/addresses/{address.Id()}";

        await (await app.Client.PatchJsonAsync(url, new { country = "XX" })).ExpectProblemAsync(HttpStatusCode.BadRequest, "country");

        Assert.Equal("FR", (await (await app.Client.GetAsync(url)).ExpectAsync(HttpStatusCode.OK)).Str("country"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_LatitudeWithoutLongitude_Returns400(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();

        await (await app.Client.PostJsonAsync($"/api/v1/customers/{customer.Id()}/addresses", Body("service", latitude: 52.52m)))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "longitude");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_LatitudeOutOfRange_Returns400NamingLatitude(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();

        await (await app.Client.PostJsonAsync($"/api/v1/customers/{customer.Id()}/addresses", Body("service", latitude: 90.5m, longitude: 13.4m)))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "latitude");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_Coordinates_StoredExactly(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();

        var created = await CreateAddressAsync(app, customer.Id(), "service", latitude: -33.856784m, longitude: 151.215297m);

        var fetched = await (await app.Client.GetAsync($"/api/v1/customers/{customer.Id()}/addresses/{created.Id()}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(-33.856784m, fetched.GetProperty("latitude").GetDecimal());
        Assert.Equal(151.215297m, fetched.GetProperty("longitude").GetDecimal());
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task CreateCustomer_TwoDefaultsOfSameType_Returns400AndStoresNothing(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customersBefore = await app.QueryAsync(d => d.Set<Customer>().CountAsync());

        await (await app.Client.PostJsonAsync("/api/v1/customers?allowDuplicate=true", new
        {
            type = "organization",
            displayName = "Two Defaults Ltd",
            addresses = new[] { Body("billing", isDefault: true), Body("billing", isDefault: true) },
        })).ExpectProblemAsync(HttpStatusCode.BadRequest, "addresses");

        Assert.Equal(customersBefore, await app.QueryAsync(d => d.Set<Customer>().CountAsync()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task CreateCustomer_SeveralOfOneTypeWithoutDefault_FirstBecomesDefault(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);

        var customer = await app.Client.CreateOrganizationAsync(addresses: [Body("billing", street: "1 First St"), Body("billing", street: "2 Second St")]);

        var defaults = (await ListAsync(app, $"/api/v1/customers/{customer.Id()}/addresses"))
            .Where(a => a.GetProperty("isDefault").GetBoolean()).ToArray();
        Assert.Equal("1 First St", Assert.Single(defaults).Str("streetLine1"));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task List_TypeFilter_ReturnsOnlyThatType(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();
        var id = customer.Id();
        var billing1 = await CreateAddressAsync(app, id, "billing");
        await CreateAddressAsync(app, id, "shipping");
        var billing2 = await CreateAddressAsync(app, id, "billing");
        await CreateAddressAsync(app, id, "headquarters");

        var billing = await ListAsync(app, $"/api/v1/customers/{id}/addresses?type=billing");

        Assert.Equal([billing1.Id(), billing2.Id()], billing.Select(a => a.Id()));
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task List_UnknownType_Returns400NamingType(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();

        await (await app.Client.GetAsync($"/api/v1/customers/{customer.Id()}/addresses?type=postal")).ExpectProblemAsync(HttpStatusCode.BadRequest, "type");
    }

    [Theory, MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Delete_Address_GoneFromListAndGet(DatabaseKind db)
    {
        var app = await fixture.AppFor(db);
        var customer = await app.Client.CreateOrganizationAsync();
        var kept = await CreateAddressAsync(app, customer.Id(), "billing");
        var deleted = await CreateAddressAsync(app, customer.Id(), "shipping");
        var url = $"/api/v1/customers/{customer.Id()}/addresses/{deleted.Id()}";

        await (await app.Client.DeleteAsync(url, "\"1\"")).ExpectAsync(HttpStatusCode.NoContent);

        await (await app.Client.GetAsync(url)).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal([kept.Id()], (await ListAsync(app, $"/api/v1/customers/{customer.Id()}/addresses")).Select(a => a.Id()));
    }

    private static object Body(string type, bool? isDefault = null, string country = "DE", string street = "1 Main St", decimal? latitude = null, decimal? longitude = null) =>
        new { addressType = type, isDefault, streetLine1 = street, city = "Berlin", country, latitude, longitude };

    private static async Task<JsonElement> CreateAddressAsync(
        AidaApp app, Guid customerId, string type, bool? isDefault = null, string country = "DE", decimal? latitude = null, decimal? longitude = null)
    {
        var response = await app.Client.PostJsonAsync($"/api/v1/customers/{customerId}/addresses",
            Body(type, isDefault, country, latitude: latitude, longitude: longitude));
        return await response.ExpectAsync(HttpStatusCode.Created);
    }

    private static async Task<JsonElement[]> ListAsync(AidaApp app, string url) =>
        (await (await app.Client.GetAsync(url)).ExpectAsync(HttpStatusCode.OK)).Items();

    private static async Task<Guid[]> DefaultsViaApiAsync(AidaApp app, Guid customerId, string type) =>
        (await ListAsync(app, $"/api/v1/customers/{customerId}/addresses?type={type}"))
            .Where(a => a.GetProperty("isDefault").GetBoolean())
            .Select(a => a.Id())
            .ToArray();

    private static Task<Guid[]> DefaultsInDatabaseAsync(AidaApp app, Guid customerId, AddressType type) =>
        app.QueryAsync(d => d.Set<Address>().Where(a => a.CustomerId == customerId && a.AddressType == type && a.IsDefault).Select(a => a.Id).ToArrayAsync());
}
