namespace Aida.Features.Customers.Accounts;

public sealed record AccountResponse(
    Guid Id,
    Guid CustomerId,
    string LegalName,
    string? DbaName,
    string? TaxId,
    string? Industry,
    EmployeeCount? EmployeeCount,
    AnnualRevenue? AnnualRevenue,
    string? Website,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    int Version);

public static class AccountMapping
{
    public static AccountResponse ToResponse(this Account a) => new(
        a.Id, a.CustomerId, a.LegalName, a.DbaName, a.TaxId, a.Industry, a.EmployeeCount, a.AnnualRevenue,
        a.Website, a.CreatedAt, a.UpdatedAt, a.Version);

    public static string Subject(Account a) => $"customers/{a.CustomerId}/account";

    public static string Location(Guid customerId) => $"/api/v1/customers/{customerId}/account";
}
