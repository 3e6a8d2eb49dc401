namespace Aida.Features.Customers.Relationships;

public sealed record RelationshipResponse(
    Guid Id,
    Guid FromCustomerId,
    Guid ToCustomerId,
    RelationshipType RelationshipType,
    string? Notes,
    DateOnly? StartDate,
    DateOnly? EndDate,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    int Version);

public static class RelationshipMapping
{
    public static RelationshipResponse ToResponse(this Relationship r) => new(
        r.Id, r.FromCustomerId, r.ToCustomerId, r.RelationshipType, r.Notes, r.StartDate, r.EndDate,
        r.CreatedAt, r.UpdatedAt, r.Version);

    public static string Subject(Relationship r) => $"customers/{r.FromCustomerId}/relationships/{r.Id}";

    public static string Location(RelationshipResponse r) => $"/api/v1/customers/{r.FromCustomerId}/relationships/{r.Id}";
}
