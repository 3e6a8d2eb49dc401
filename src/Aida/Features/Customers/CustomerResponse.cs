using System.Text.Json.Serialization;
using Aida.Features.Customers.Contacts;

namespace Aida.Features.Customers;

/// <summary>A customer as the API shows it. <see cref="Version"/> is also sent as the ETag.</summary>
public sealed record CustomerResponse(
    Guid Id,
    CustomerType Type,
    string DisplayName,
    CustomerStatus Status,
    CustomerSource? Source,
    string? ExternalId,
    Guid? OwnerId,
    Guid? ParentId,
    Guid CreatedBy,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    int Version,
    PrimaryContactSummary? PrimaryContact)
{
    /// <summary>
    /// On create only: existing customers this one may duplicate, below the refusal threshold (the medium
    /// tier), best first. Absent when there are none. Those out of the caller's reach are not listed.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<Duplicates.DuplicateCandidate>? PossibleDuplicates { get; init; }
}

public sealed record PrimaryContactSummary(Guid Id, string FirstName, string LastName, string? Email, string? Phone);

public static class CustomerMapping
{
    public static CustomerResponse ToResponse(this Customer customer, Contact? primaryContact) => new(
        customer.Id,
        customer.Type,
        customer.DisplayName,
        customer.Status,
        customer.Source,
        customer.ExternalId,
        customer.OwnerId,
        customer.ParentId,
        customer.CreatedBy,
        customer.CreatedAt,
        customer.UpdatedAt,
        customer.Version,
        primaryContact?.ToSummary());

    public static PrimaryContactSummary ToSummary(this Contact contact) =>
        new(contact.Id, contact.FirstName, contact.LastName, contact.Email, contact.Phone);

    public static string Subject(Guid customerId) => $"customers/{customerId}";

    public static string Location(Guid customerId) => $"/api/v1/customers/{customerId}";
}
