namespace Aida.Features.Customers.Addresses;

/// <summary>The fields of a new address, on its own or nested in a new customer.</summary>
public sealed record AddressFields(
    AddressType? AddressType,
    bool? IsDefault,
    string? StreetLine1,
    string? StreetLine2,
    string? City,
    string? StateProvince,
    string? PostalCode,
    string? Country,
    decimal? Latitude,
    decimal? Longitude)
{
    public Address? ToAddress(ValidationErrors errors, string prefix = "")
    {
        var before = errors.Count;
        if (AddressType is null)
        {
            errors.Add(prefix + "addressType", $"Is required: one of {string.Join(", ", Platform.Data.EnumText<AddressType>.AllNames)}.");
        }

        var street1 = errors.RequiredText(prefix + "streetLine1", StreetLine1, Address.StreetMaxLength);
        var street2 = errors.OptionalText(prefix + "streetLine2", StreetLine2, Address.StreetMaxLength);
        var city = errors.RequiredText(prefix + "city", City, Address.CityMaxLength);
        var state = errors.OptionalText(prefix + "stateProvince", StateProvince, Address.StateMaxLength);
        var postalCode = errors.OptionalText(prefix + "postalCode", PostalCode, Address.PostalCodeMaxLength);
        var country = AddressRules.Country(errors, prefix + "country", Country);
        AddressRules.Coordinates(errors, prefix, Latitude, Longitude);

        if (errors.Count > before)
        {
            return null;
        }

        return new Address
        {
            AddressType = AddressType!.Value,
            IsDefault = IsDefault ?? false,
            StreetLine1 = street1!,
            StreetLine2 = street2,
            City = city!,
            StateProvince = state,
            PostalCode = postalCode,
            Country = country!,
            Latitude = Latitude,
            Longitude = Longitude,
        };
    }
}

public static class AddressRules
{
    public static string? Country(ValidationErrors errors, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, "Is required: an ISO 3166-1 alpha-2 country code such as DE or US.");
            return null;
        }

        var country = Countries.Normalize(value);
        if (country is null)
        {
            errors.Add(field, $"'{value.Trim()}' is not an ISO 3166-1 alpha-2 country code (e.g. DE, FR, US, GB).");
        }

        return country;
    }

    public static void Coordinates(ValidationErrors errors, string prefix, decimal? latitude, decimal? longitude)
    {
        if (latitude is null != longitude is null)
        {
            errors.Add(prefix + (latitude is null ? "latitude" : "longitude"), "Latitude and longitude go together: send both or neither.");
        }

        if (latitude is < -90 or > 90)
        {
            errors.Add(prefix + "latitude", "Must be between -90 and 90.");
        }

        if (longitude is < -180 or > 180)
        {
            errors.Add(prefix + "longitude", "Must be between -180 and 180.");
        }
    }
}
