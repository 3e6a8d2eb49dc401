using System.Text.Json.Nodes;

namespace Aida.Features.Import;

/// <summary>
/// <c>PUT /api/v1/imports/{id}/mapping</c>: the column → field mapping and the options (duplicate policy,
/// valid rows only), checked against the file's header. <c>saveMapping</c> keeps it for the next file from
/// the same source. Only before the import starts.
/// </summary>
public static class SetImportMapping
{
    public sealed record Request(
        Dictionary<string, string?>? Mapping,
        string? EntityType,
        DuplicatePolicy? OnDuplicate,
        bool? ValidRowsOnly,
        bool? SaveMapping);

    public static async Task<Results<Ok<ImportResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, [FromBody] Request request, AidaDb db, CancellationToken cancellationToken)
    {
        var import = await ImportMapping.Visible(db).FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (import is null)
        {
            return Problems.NotFound("import");
        }

        if (import.Status != ImportStatus.Uploaded)
        {
            return Problems.Conflict("status", "The import has started already; its mapping can no longer change.");
        }

        if (request.EntityType is { } entityType && entityType != import.EntityType)
        {
            return Problems.Validation("entityType", $"The file was uploaded for {import.EntityType}; upload it again for another entity type.");
        }

        var headers = JsonSerializer.Deserialize<List<string>>(import.Headers)!;
        var mapping = request.Mapping ?? ImportPlan.ParseMapping(import.Mapping);
        var errors = ImportPlan.Check(headers, mapping, import.EntityType);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var complete = headers.ToDictionary(h => h, h => mapping.GetValueOrDefault(h) is { Length: > 0 } field ? field : null, StringComparer.Ordinal);
        import.Mapping = JsonSerializer.Serialize(complete);
        import.OnDuplicate = request.OnDuplicate ?? import.OnDuplicate;
        import.ValidRowsOnly = request.ValidRowsOnly ?? import.ValidRowsOnly;
        var now = db.Clock.UtcNow();
        import.UpdatedAt = now;
        if (request.SaveMapping == true)
        {
            var saved = await db.Set<SavedMapping>().FirstOrDefaultAsync(m => m.SourceName == import.SourceName && m.EntityType == import.EntityType, cancellationToken);
            if (saved is null)
            {
                db.Add(saved = new SavedMapping { SourceName = import.SourceName, EntityType = import.EntityType });
            }

            saved.Mapping = import.Mapping;
            saved.UpdatedAt = now;
        }

        db.Add(ImportAudit.Entry(db, import, AuditAction.Update, new JsonObject
        {
            ["mapping"] = new JsonObject { ["to"] = JsonNode.Parse(import.Mapping) },
            ["onDuplicate"] = new JsonObject { ["to"] = EnumText<DuplicatePolicy>.ToText(import.OnDuplicate) },
            ["validRowsOnly"] = new JsonObject { ["to"] = import.ValidRowsOnly },
        }));
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(import.ToResponse(now));
    }
}
