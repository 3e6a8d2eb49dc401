using System.Text.Json.Nodes;

namespace Aida.Features.Import;

/// <summary>
/// <c>POST /api/v1/imports/{id}/start</c>: queues the import for the background worker and answers 202 at
/// once; the run goes on whether or not the client stays (poll <c>GET /api/v1/imports/{id}</c>).
/// </summary>
public static class StartImport
{
    public static async Task<Results<Accepted<ImportResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, AidaDb db, ImportWorker worker, CancellationToken cancellationToken)
    {
        var import = await ImportMapping.Visible(db).FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (import is null)
        {
            return Problems.NotFound("import");
        }

        if (import.Status != ImportStatus.Uploaded)
        {
            return Problems.Conflict("status", $"The import is {EnumText<ImportStatus>.ToText(import.Status)}; only an uploaded import can be started.");
        }

        var errors = ImportPlan.Check(JsonSerializer.Deserialize<List<string>>(import.Headers)!, ImportPlan.ParseMapping(import.Mapping), import.EntityType);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        // Only the first of two starts at once moves it from uploaded to queued.
        var now = db.Clock.UtcNow();
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var claimed = await db.Set<Import>().Where(i => i.Id == id && i.Status == ImportStatus.Uploaded)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, ImportStatus.Queued).SetProperty(i => i.UpdatedAt, now), cancellationToken);
        if (claimed == 0)
        {
            return Problems.Conflict("status", "The import was started already.");
        }

        import.Status = ImportStatus.Queued;
        db.Add(ImportAudit.Entry(db, import, AuditAction.Update, new JsonObject { ["status"] = new JsonObject { ["from"] = "uploaded", ["to"] = "queued" } }));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        worker.Wake();
        return TypedResults.Accepted(ImportMapping.Location(id), import.ToResponse(now));
    }
}
