namespace Aida.Features.Customers.Addresses;

public sealed record AddressResponse(
    Guid Id,
    Guid CustomerId,
    AddressType AddressType,
    bool IsDefault,
    string StreetLine1,
    string? StreetLine2,
    string City,
    string? StateProvince,
    string? PostalCode,
    string Country,
    decimal? Latitude,
    decimal? Longitude,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    int Version);

public static class AddressMapping
{
    public static AddressResponse ToResponse(this Address a) => new(
        a.Id, a.CustomerId, a.AddressType, a.IsDefault, a.StreetLine1, a.StreetLine2, a.City, a.StateProvince,
        a.PostalCode, a.Country, a.Latitude, a.Longitude, a.CreatedAt, a.UpdatedAt, a.Version);

    public static string Subject(Address a) => $"customers/{a.CustomerId}/addresses/{a.Id}";

    public static string Location(AddressResponse a) => $"/api/v1/customers/{a.CustomerId}/addresses/{a.Id}";
}
