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
    /// <summary>The whole account, as events store it (the feed blanks sensitive fields per reader).</summary>
    public static AccountResponse ToResponse(this Account a) => new(
        a.Id, a.CustomerId, a.LegalName, a.DbaName, a.TaxId, a.Industry, a.EmployeeCount, a.AnnualRevenue,
        a.Website, a.CreatedAt, a.UpdatedAt, a.Version);

    /// <summary>The account as the actor may see it: no tax id without customers.viewSensitive.</summary>
    public static AccountResponse ToResponseFor(this Account a, AidaDb db) => a.ToResponse() with { TaxId = db.Shown(a.TaxId) };

    /// <summary>Setting a tax id needs the right to see one; null when allowed.</summary>
    public static Failure.Forbidden? ForbiddenTaxId(AidaDb db, string field, string? taxId) =>
        taxId is null || db.Operation.Access.SeesSensitive
            ? null
            : new Failure.Forbidden(field, "Setting a tax id needs the customers.viewSensitive permission.");

    public static string Subject(Account a) => $"customers/{a.CustomerId}/account";

    public static string Location(Guid customerId) => $"/api/v1/customers/{customerId}/account";
}
