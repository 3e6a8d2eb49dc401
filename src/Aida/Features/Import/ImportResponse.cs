using Aida.Features.Customers;
using Aida.Features.Customers.Addresses;

namespace Aida.Features.Import;

public sealed record ImportCounts(long Read, long Created, long Updated, long Skipped, long Failed);

/// <summary>An import as the API shows it: file, mapping, options, and how far it got (rows/s and time left while it runs).</summary>
public sealed record ImportResponse(
    Guid Id,
    string EntityType,
    ImportStatus Status,
    string SourceName,
    string FileName,
    FileFormat FileFormat,
    long FileBytes,
    string? Delimiter,
    string? Encoding,
    IReadOnlyList<string> Headers,
    IReadOnlyDictionary<string, string?> Mapping,
    DuplicatePolicy OnDuplicate,
    bool ValidRowsOnly,
    ImportCounts Counts,
    double Progress,
    double? RowsPerSecond,
    double? SecondsLeft,
    string? Error,
    Guid OwnerId,
    DateTime CreatedAt,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    DateTime? RevertibleUntil,
    DateTime? RevertedAt);

/// <summary>The upload's answer: the import, how its mapping was chosen, the fields a column can map to, and a preview.</summary>
public sealed record UploadResponse(ImportResponse Import, string MappingSource, IReadOnlyList<FieldResponse> Fields, PreviewResponse Preview);

public sealed record FieldResponse(string Name, string Label);

/// <summary>The first rows mapped and validated: what each would store, and what would happen to it.</summary>
public sealed record PreviewResponse(IReadOnlyList<PreviewRow> Rows, IReadOnlyList<RowProblem> Problems);

public sealed record PreviewRow(long Row, string Outcome, string? Reason, IReadOnlyDictionary<string, string?> Values);

public static class ImportMapping
{
    public static ImportResponse ToResponse(this Import import, DateTime now)
    {
        double? rate = null, left = null;
        if (import.StartedAt is { } started && import.RowsRead > 0)
        {
            var elapsed = ((import.FinishedAt ?? now) - started).TotalSeconds;
            rate = elapsed > 0 ? Math.Round(import.RowsRead / elapsed, 1) : null;
            if (import.Status == ImportStatus.Running && import.Progress is > 0 and < 1)
            {
                left = Math.Round(elapsed * (1 - import.Progress) / import.Progress, 1);
            }
        }

        var done = import.Status is ImportStatus.Completed or ImportStatus.Failed && import.CreatedCount + import.UpdatedCount > 0;
        return new ImportResponse(
            import.Id, import.EntityType, import.Status, import.SourceName, import.FileName, import.FileFormat, import.FileBytes,
            import.Delimiter, import.Encoding, JsonSerializer.Deserialize<List<string>>(import.Headers)!, ImportPlan.ParseMapping(import.Mapping),
            import.OnDuplicate, import.ValidRowsOnly,
            new ImportCounts(import.RowsRead, import.CreatedCount, import.UpdatedCount, import.SkippedCount, import.FailedCount),
            Math.Round(import.Progress, 4), rate, left, import.Error, import.OwnerId, import.CreatedAt, import.StartedAt, import.FinishedAt,
            done && import.FinishedAt is { } finished ? finished + Import.RevertWindow : null, import.RevertedAt);
    }

    public static string Location(Guid id) => $"/api/v1/imports/{id}";

    /// <summary>The values a row would store, by field, as the API would store them (normalised email, country code, …).</summary>
    public static Dictionary<string, string?> StoredValues(CustomerFields.Parsed parsed)
    {
        var built = parsed.Customer!;
        var customer = built.Customer;
        var contact = built.Contact;
        var address = built.Addresses.Count > 0 ? built.Addresses[0] : null;
        var account = built.Account;
        return new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["type"] = EnumText<CustomerType>.ToText(customer.Type),
            ["displayName"] = customer.DisplayName,
            ["status"] = EnumText<CustomerStatus>.ToText(customer.Status),
            ["source"] = customer.Source is { } s ? EnumText<CustomerSource>.ToText(s) : null,
            ["externalId"] = customer.ExternalId,
            ["parentName"] = parsed.ParentName,
            ["parentExternalId"] = parsed.ParentExternalId,
            ["contact.firstName"] = contact?.FirstName,
            ["contact.lastName"] = contact?.LastName,
            ["contact.email"] = contact?.Email,
            ["contact.phone"] = contact?.Phone,
            ["contact.jobTitle"] = contact?.JobTitle,
            ["address.type"] = address is null ? null : EnumText<AddressType>.ToText(address.AddressType),
            ["address.streetLine1"] = address?.StreetLine1,
            ["address.streetLine2"] = address?.StreetLine2,
            ["address.city"] = address?.City,
            ["address.stateProvince"] = address?.StateProvince,
            ["address.postalCode"] = address?.PostalCode,
            ["address.country"] = address?.Country,
            ["account.legalName"] = account?.LegalName,
            ["account.taxId"] = account?.TaxId,
            ["account.industry"] = account?.Industry,
            ["account.website"] = account?.Website,
        };
    }

    /// <summary>An import the actor may see: their own, or any for administrators. Others do not exist for them (404).</summary>
    public static IQueryable<Import> Visible(AidaDb db)
    {
        var actor = db.Operation.ActorId;
        var admin = db.Operation.Access.Permissions.Contains(Permissions.AdminSettings);
        return db.Set<Import>().Where(i => admin || i.OwnerId == actor);
    }
}
