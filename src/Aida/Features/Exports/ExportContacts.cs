using Aida.Features.Customers.Contacts;
using Aida.Platform.Export;

namespace Aida.Features.Exports;

/// <summary><c>GET /api/v1/exports/contacts</c>: contacts of the customers in the caller's reach, optionally of one customer.</summary>
public static class ExportContacts
{
    public static readonly IReadOnlyList<ExportColumn<Contact>> Columns =
    [
        new("id", c => c.Id),
        new("customerId", c => c.CustomerId),
        new("firstName", c => c.FirstName),
        new("lastName", c => c.LastName),
        new("email", c => c.Email),
        new("phone", c => c.Phone),
        new("jobTitle", c => c.JobTitle),
        new("isPrimary", c => c.IsPrimary),
        new("status", c => EnumText<ContactStatus>.ToText(c.Status)),
        new("communicationPreference", c => EnumText<CommunicationPreference>.ToText(c.CommunicationPreference)),
        new("doNotContact", c => c.DoNotContact),
        new("createdAt", c => c.CreatedAt),
        new("updatedAt", c => c.UpdatedAt),
    ];

    public static async Task<Results<PushStreamHttpResult, ValidationProblem>> Handle(string? format, Guid? customerId, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var chosen = ExportFormats.Parse(format, errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var contacts = db.Set<Contact>().AsNoTracking();
        if (customerId is { } id)
        {
            contacts = contacts.Where(c => c.CustomerId == id);
        }

        return await StreamedExport.CreateAsync(db, "contacts", chosen, ExportFilters.Of(("customerId", customerId)), Columns, c => c.Id,
            async (after, size, ct) => await (after is { } a ? contacts.Where(c => c.Id.CompareTo(a) > 0) : contacts)
                .OrderBy(c => c.Id).Take(size).ToListAsync(ct),
            cancellationToken);
    }
}
