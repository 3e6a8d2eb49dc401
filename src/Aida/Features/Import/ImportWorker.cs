using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Aida.Features.Import;

/// <summary>
/// Runs queued imports one at a time, in the background, whatever happens to the client that started them.
/// Any node may run any import: the first to move it from queued to running has it. A running import whose
/// heartbeat stopped (the server was stopped or crashed mid-run) is marked failed with what was written so
/// far — every record of it is in import_changes, so the report lists it and a revert removes it — rather
/// than resumed: a resumed all-or-nothing import could not keep its promise. Files are deleted 30 days
/// after upload. After each import the duplicate scan is asked for a pass (issue 17: re-run incrementally after imports).
/// </summary>
public sealed class ImportWorker(
    IServiceScopeFactory scopes, ImportEngine engine, ImportStorage storage, IOptions<ImportSettings> settings,
    Customers.Duplicates.DuplicateScan duplicateScan, TimeProvider clock, Platform.Jobs.JobTriggers triggers, ILogger<ImportWorker> logger)
    : Platform.Jobs.IScheduledJob
{
    private DateTime _lastSweep = DateTime.MinValue;

    public string Name => "imports.run";

    public string Description => "Runs queued imports one at a time, marks interrupted ones failed, and deletes import files after 30 days.";

    public TimeSpan Interval => TimeSpan.FromSeconds(2);

    /// <summary>Looks for queued imports now rather than at the next poll.</summary>
    public void Wake() => triggers.RunSoon(Name);

    /// <summary>Items: the imports run.</summary>
    public async Task<Platform.Jobs.JobOutcome> RunAsync(CancellationToken cancellationToken)
    {
        await MarkInterruptedAsync(cancellationToken);
        await SweepFilesAsync(cancellationToken);
        var ran = 0;
        while (await ClaimAsync(cancellationToken) is { } id)
        {
            await engine.RunAsync(id, cancellationToken);
            ran++;
            // The imported rows are new and changed customers: the duplicate scan's next incremental pass
            // would find them within its interval; asking now puts likely duplicates in the review queue sooner.
            duplicateScan.Request();
        }

        return new(ran);
    }

    private async Task<Guid?> ClaimAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
        var candidates = await db.Set<Import>().AsNoTracking().Where(i => i.Status == ImportStatus.Queued)
            .OrderBy(i => i.UpdatedAt).Select(i => i.Id).Take(5).ToListAsync(cancellationToken);
        foreach (var id in candidates)
        {
            var now = clock.UtcNow();
            await using var transaction = await db.BeginWriteAsync(cancellationToken);
            var claimed = await db.Set<Import>().Where(i => i.Id == id && i.Status == ImportStatus.Queued)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, ImportStatus.Running).SetProperty(i => i.StartedAt, now)
                    .SetProperty(i => i.HeartbeatAt, now).SetProperty(i => i.UpdatedAt, now), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            if (claimed == 1)
            {
                return id;
            }
        }

        return null;
    }

    private async Task MarkInterruptedAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
        var cutoff = clock.UtcNow() - settings.Value.StaleAfter;
        var stale = await db.Set<Import>().Where(i => i.Status == ImportStatus.Running && (i.HeartbeatAt == null || i.HeartbeatAt < cutoff)).ToListAsync(cancellationToken);
        foreach (var import in stale)
        {
            var now = clock.UtcNow();
            import.Status = ImportStatus.Failed;
            import.FinishedAt = now;
            import.UpdatedAt = now;
            import.Error = import.CreatedCount + import.UpdatedCount > 0
                ? $"The server stopped while this import ran, after {import.RowsRead:N0} rows. The {import.CreatedCount + import.UpdatedCount:N0} records written so far are kept and listed in the report; revert the import to remove them, or import the remaining rows again."
                : $"The server stopped while this import ran, after {import.RowsRead:N0} rows; nothing was written. Start a new import of the file.";
            db.Add(ImportAudit.Entry(db, import, AuditAction.Update, new JsonObject { ["status"] = new JsonObject { ["from"] = "running", ["to"] = "failed" }, ["interrupted"] = true }, import.OwnerId));
            logger.LogWarning("Import {ImportId} was interrupted and is marked failed", import.Id);
        }

        if (stale.Count > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    private async Task SweepFilesAsync(CancellationToken cancellationToken)
    {
        var now = clock.UtcNow();
        if (now - _lastSweep < TimeSpan.FromHours(1))
        {
            return;
        }

        _lastSweep = now;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
        var cutoff = now - Import.RevertWindow;
        var expired = await db.Set<Import>().Where(i => !i.FileDeleted && i.CreatedAt < cutoff
            && i.Status != ImportStatus.Queued && i.Status != ImportStatus.Running).ToListAsync(cancellationToken);
        foreach (var import in expired)
        {
            storage.Delete(import.Id);
            import.FileDeleted = true;
            import.UpdatedAt = now;
        }

        if (expired.Count > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
