namespace Aida.Features.Customers.Addresses;

public static class UpdateAddress
{
    public sealed record Request(
        Optional<AddressType> AddressType,
        Optional<bool> IsDefault,
        Optional<string?> StreetLine1,
        Optional<string?> StreetLine2,
        Optional<string?> City,
        Optional<string?> StateProvince,
        Optional<string?> PostalCode,
        Optional<string?> Country,
        Optional<decimal?> Latitude,
        Optional<decimal?> Longitude);

    public static async Task<Results<Ok<AddressResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid customerId,
        Guid addressId,
        [FromBody] Request request,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        AidaDb db,
        HttpResponse response,
        CancellationToken cancellationToken) =>
        (await RunAsync(customerId, addressId, request, ifMatch, db, cancellationToken)).ToOk(response);

    public static Task<Result<AddressResponse>> RunAsync(
        Guid customerId, Guid addressId, Request request, string? ifMatch, AidaDb db, CancellationToken cancellationToken) =>
        db.ChangeAsync(db.Set<Address>().Where(a => a.Id == addressId && a.CustomerId == customerId), ifMatch, "address", async Task<Failure?> (address) =>
        {
            var errors = new ValidationErrors();
            var street1 = request.StreetLine1.IsSet ? errors.RequiredText("streetLine1", request.StreetLine1.Value, Address.StreetMaxLength) : address.StreetLine1;
            var street2 = request.StreetLine2.IsSet ? errors.OptionalText("streetLine2", request.StreetLine2.Value, Address.StreetMaxLength) : address.StreetLine2;
            var city = request.City.IsSet ? errors.RequiredText("city", request.City.Value, Address.CityMaxLength) : address.City;
            var state = request.StateProvince.IsSet ? errors.OptionalText("stateProvince", request.StateProvince.Value, Address.StateMaxLength) : address.StateProvince;
            var postalCode = request.PostalCode.IsSet ? errors.OptionalText("postalCode", request.PostalCode.Value, Address.PostalCodeMaxLength) : address.PostalCode;
            var country = request.Country.IsSet ? AddressRules.Country(errors, "country", request.Country.Value) : address.Country;
            var latitude = request.Latitude.Or(address.Latitude);
            var longitude = request.Longitude.Or(address.Longitude);
            AddressRules.Coordinates(errors, "", latitude, longitude);
            if (errors.Any)
            {
                return errors.ToFailure();
            }

            var type = request.AddressType.Or(address.AddressType);
            var wantsDefault = request.IsDefault.Or(address.IsDefault);
            if (wantsDefault && (type != address.AddressType || !address.IsDefault))
            {
                await AddressDefaults.ResolveAsync(db, customerId, type, address.Id, true, cancellationToken);
            }

            address.AddressType = type;
            address.IsDefault = wantsDefault;
            address.StreetLine1 = street1!;
            address.StreetLine2 = street2;
            address.City = city!;
            address.StateProvince = state;
            address.PostalCode = postalCode;
            address.Country = country!;
            address.Latitude = latitude;
            address.Longitude = longitude;

            db.PublishChanges(address, "address.updated", AddressMapping.Subject(address), changes => new { address = address.ToResponse(), changes });

            return null;
        }, address => address.ToResponse(), cancellationToken);
}
