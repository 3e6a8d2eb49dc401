using Aida.Features.Customers;
using Aida.Features.Customers.Contacts;
using Aida.Platform.Export;

namespace Aida.Features.Exports;

/// <summary><c>GET /api/v1/exports/customers</c>: the customer list, as it is filtered, as a file.</summary>
public static class ExportCustomers
{
    public sealed record Query(
        string? Format,
        string? Q,
        string? Status,
        string? Type,
        string? Source,
        Guid? OwnerId,
        string? CreatedAfter,
        string? CreatedBefore);

    public sealed record Row(
        Guid Id, CustomerType Type, string DisplayName, CustomerStatus Status, CustomerSource? Source, string? ExternalId,
        Guid? OwnerId, Guid? ParentId, DateTime CreatedAt, DateTime UpdatedAt, PrimaryContact? Primary);

    public sealed record PrimaryContact(string FirstName, string LastName, string? Email, string? Phone);

    public static readonly IReadOnlyList<ExportColumn<Row>> Columns =
    [
        new("id", r => r.Id),
        new("type", r => EnumText<CustomerType>.ToText(r.Type)),
        new("displayName", r => r.DisplayName),
        new("status", r => EnumText<CustomerStatus>.ToText(r.Status)),
        new("source", r => r.Source is { } s ? EnumText<CustomerSource>.ToText(s) : null),
        new("externalId", r => r.ExternalId),
        new("ownerId", r => r.OwnerId),
        new("parentId", r => r.ParentId),
        new("primaryContactFirstName", r => r.Primary?.FirstName),
        new("primaryContactLastName", r => r.Primary?.LastName),
        new("primaryContactEmail", r => r.Primary?.Email),
        new("primaryContactPhone", r => r.Primary?.Phone),
        new("createdAt", r => r.CreatedAt),
        new("updatedAt", r => r.UpdatedAt),
    ];

    public static async Task<Results<PushStreamHttpResult, ValidationProblem>> Handle(
        [AsParameters] Query query, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var format = ExportFormats.Parse(query.Format, errors);
        var filters = new ListCustomers.Filters(query.Q, query.Status, query.Type, query.Source, query.OwnerId, query.CreatedAfter, query.CreatedBefore);
        // "createdAt" as the search's sort hint: ids are UUIDv7, so id order is creation order.
        var customers = await ListCustomers.FilteredAsync(filters, db, errors, "createdAt", cancellationToken);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var audited = ExportFilters.Of(("q", query.Q), ("status", query.Status), ("type", query.Type), ("source", query.Source),
            ("ownerId", query.OwnerId), ("createdAfter", query.CreatedAfter), ("createdBefore", query.CreatedBefore));
        return await StreamedExport.CreateAsync(db, "customers", format, audited, Columns, r => r.Id, async (after, size, ct) =>
        {
            var page = after is { } a ? customers.Where(c => c.Id.CompareTo(a) > 0) : customers;
            // One round trip per batch, each customer with its primary contact, as the list reads them.
            var primaries = db.Set<Contact>().AsNoTracking().Where(c => c.IsPrimary);
            var rows = await (
                from c in page.OrderBy(c => c.Id).Take(size)
                join primary in primaries on c.Id equals primary.CustomerId into matched
                from p in matched.DefaultIfEmpty()
                select new Row(c.Id, c.Type, c.DisplayName, c.Status, c.Source, c.ExternalId, c.OwnerId, c.ParentId, c.CreatedAt, c.UpdatedAt,
                    p == null ? null : new PrimaryContact(p.FirstName, p.LastName, p.Email, p.Phone)))
                .ToListAsync(ct);

            // The join may not keep the batch's order; the keyset needs it (ordinal text order is the databases' uuid order).
            rows.Sort((x, y) => string.CompareOrdinal(x.Id.ToString(), y.Id.ToString()));
            return rows;
        }, cancellationToken);
    }
}
