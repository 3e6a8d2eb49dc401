using System.Net;
using System.Text.Json;

namespace Aida.Tests.Infrastructure;

/// <summary>Creates records through the API, each with values unique to the call so tests never collide.</summary>
public static class Builders
{
    public static string Unique(string prefix) => $"{prefix}{Guid.NewGuid().ToString("N")[..8]}";

    public static async Task<JsonElement> CreateOrganizationAsync(this HttpClient client, string? name = null, object? account = null, object? primaryContact = null, object[]? addresses = null)
    {
        var response = await client.PostJsonAsync("/api/v1/customers?allowDuplicate=true", new
        {
            type = "organization",
            displayName = name ?? Unique("Org "),
            account,
            primaryContact,
            addresses,
        });
        return await response.ExpectAsync(HttpStatusCode.Created);
    }

    public static async Task<JsonElement> CreateIndividualAsync(this HttpClient client, string? name = null, string? email = null, string? phone = null, Guid? ownerId = null)
    {
        var displayName = name ?? $"{Unique("Pat")} {Unique("Doe")}";
        var parts = displayName.Split(' ', 2);
        var response = await client.PostJsonAsync("/api/v1/customers?allowDuplicate=true", new
        {
            type = "individual",
            displayName,
            ownerId,
            primaryContact = email is null && phone is null ? null : new { firstName = parts[0], lastName = parts.Length > 1 ? parts[1] : parts[0], email, phone },
        });
        return await response.ExpectAsync(HttpStatusCode.Created);
    }

    public static async Task<JsonElement> CreateContactAsync(this HttpClient client, Guid customerId, object body)
    {
        var response = await client.PostJsonAsync($"/api/v1/customers/{customerId}/contacts", body);
        return await response.ExpectAsync(HttpStatusCode.Created);
    }
}
