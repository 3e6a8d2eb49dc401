namespace Aida.Features.Customers.Contacts;

public sealed record ContactResponse(
    Guid Id,
    Guid CustomerId,
    string FirstName,
    string LastName,
    string? Email,
    string? Phone,
    string? JobTitle,
    bool IsPrimary,
    ContactStatus Status,
    CommunicationPreference CommunicationPreference,
    bool DoNotContact,
    DateTime? EmailBouncedAt,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    int Version);

public static class ContactMapping
{
    public static ContactResponse ToResponse(this Contact c) => new(
        c.Id, c.CustomerId, c.FirstName, c.LastName, c.Email, c.Phone, c.JobTitle, c.IsPrimary, c.Status,
        c.CommunicationPreference, c.DoNotContact, c.EmailBouncedAt, c.CreatedAt, c.UpdatedAt, c.Version);

    public static string Subject(Contact c) => $"customers/{c.CustomerId}/contacts/{c.Id}";

    public static string Location(ContactResponse c) => $"/api/v1/customers/{c.CustomerId}/contacts/{c.Id}";
}
