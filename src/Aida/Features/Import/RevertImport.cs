using System.Text.Json.Nodes;
using Aida.Features.Customers;
using Aida.Features.Customers.Contacts;

namespace Aida.Features.Import;

/// <summary>
/// <c>POST /api/v1/imports/{id}/revert</c>, within 30 days of the run: every customer the import created is
/// deleted as <c>DELETE /api/v1/customers/{id}</c> deletes it (with its contacts, addresses, account and what
/// other features hang on it), and every customer it updated gets back the previous value of each field the
/// import changed — where the field still holds the imported value. A field someone changed after the import
/// keeps that later change: the revert undoes the import, not the work done since, and the answer counts what
/// was kept. Fields the import did not touch are never written. The revert is audited and the file deleted.
/// It works in chunks of <see cref="Chunk"/> records, one transaction each, and once claimed it runs to the end
/// even if the caller goes away (a large revert outlasts a browser's or proxy's patience): only the server
/// stopping interrupts it. The claim is a lease on <see cref="Import.HeartbeatAt"/>, renewed with every chunk; a
/// revert whose lease ran out (its server stopped) can be asked for again and finishes what is left — what the
/// first attempt removed then counts as no longer there.
/// </summary>
public static class RevertImport
{
    public sealed record Response(ImportResponse Import, long Removed, long Restored, long KeptLaterChanges, long NoLongerYours);

    private const int Chunk = 500;

    /// <summary>A revert that has not renewed its lease for this long has stopped (its server went down).</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    public static async Task<Results<Ok<Response>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, AidaDb db, ImportStorage storage, [FromServices] IEnumerable<ICustomerDependents> dependents, IHostApplicationLifetime lifetime,
        CancellationToken cancellationToken)
    {
        var import = await ImportMapping.Visible(db).AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (import is null)
        {
            return Problems.NotFound("import");
        }

        var now = db.Clock.UtcNow();
        if (import.Status is not (ImportStatus.Completed or ImportStatus.Failed) || import.FinishedAt is null)
        {
            return Problems.Conflict("status", $"The import is {EnumText<ImportStatus>.ToText(import.Status)}; only a finished import can be reverted.");
        }

        if (import.FinishedAt.Value + Import.RevertWindow < now)
        {
            return Problems.Conflict("status", "An import can be reverted for 30 days after it ran; this one is older.");
        }

        // Two reverts at once: only the first claims it. A heartbeat after the run finished is a revert's lease.
        int claimed;
        var expired = now - Lease;
        await using (var claim = await db.BeginWriteAsync(cancellationToken))
        {
            claimed = await db.Set<Import>()
                .Where(i => i.Id == id && i.RevertedAt == null && (i.Status == ImportStatus.Completed || i.Status == ImportStatus.Failed)
                    && (i.HeartbeatAt == null || i.HeartbeatAt <= i.FinishedAt || i.HeartbeatAt < expired))
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.HeartbeatAt, now).SetProperty(i => i.UpdatedAt, now), cancellationToken);
            await claim.CommitAsync(cancellationToken);
        }

        if (claimed == 0)
        {
            return Problems.Conflict("status", "The import is being reverted, or was reverted already.");
        }

        // From here on the caller's going away does not stop the revert; the server stopping does (the lease then
        // runs out and the revert can be asked for again).
        cancellationToken = lifetime.ApplicationStopping;
        long removed = 0, restored = 0, kept = 0, notYours = 0;
        var target = ImportTargets.Of(import.EntityType);
        Guid? after = null;
        while (true)
        {
            var query = db.Set<ImportChange>().AsNoTracking().Where(c => c.ImportId == id);
            if (after is { } a)
            {
                query = query.Where(c => c.RecordId.CompareTo(a) > 0);
            }

            var changes = await query.OrderBy(c => c.RecordId).Take(Chunk).ToListAsync(cancellationToken);
            if (changes.Count == 0)
            {
                break;
            }

            after = changes[^1].RecordId;
            // One transaction per chunk (each delete and restore below joins it) with the lease renewed inside it.
            await using (var transaction = await db.BeginWriteAsync(cancellationToken))
            {
                var heartbeat = db.Clock.UtcNow();
                await db.Set<Import>().Where(i => i.Id == id)
                    .ExecuteUpdateAsync(s => s.SetProperty(i => i.HeartbeatAt, heartbeat).SetProperty(i => i.UpdatedAt, heartbeat), cancellationToken);
                var counts = target is not null
                    ? await target.RevertAsync(db, changes, cancellationToken)
                    : await RevertCustomersAsync(db, changes, dependents, cancellationToken);
                (removed, restored, kept, notYours) = (removed + counts.Removed, restored + counts.Restored, kept + counts.Kept, notYours + counts.NotYours);
                await transaction.CommitAsync(cancellationToken);
            }

            db.ChangeTracker.Clear();
        }

        var stored = await db.Set<Import>().FirstAsync(i => i.Id == id, cancellationToken);
        now = db.Clock.UtcNow();
        stored.Status = ImportStatus.Reverted;
        stored.RevertedAt = now;
        stored.FileDeleted = true;
        stored.UpdatedAt = now;
        db.Add(ImportAudit.Entry(db, stored, AuditAction.Update, new JsonObject
        {
            ["status"] = new JsonObject { ["from"] = EnumText<ImportStatus>.ToText(import.Status), ["to"] = "reverted" },
            ["removed"] = removed,
            ["restored"] = restored,
            ["keptLaterChanges"] = kept,
            ["noLongerYours"] = notYours,
        }));
        db.Publish($"{import.EntityType}.import_reverted", $"imports/{id}", () => new { importId = id, removed, restored });
        await db.SaveChangesAsync(cancellationToken);
        storage.Delete(id);
        return TypedResults.Ok(new Response(stored.ToResponse(now), removed, restored, kept, notYours));
    }

    private static async Task<RevertCounts> RevertCustomersAsync(
        AidaDb db, List<ImportChange> changes, IEnumerable<ICustomerDependents> dependents, CancellationToken cancellationToken)
    {
        // Deleted as DELETE /customers/{id} deletes each (cascade and events), a chunk at a time; one not deleted
        // was deleted since, or is out of the actor's reach now.
        var created = changes.Where(c => c.Kind == ImportChange.Created).Select(c => c.RecordId).ToList();
        var removed = created.Count == 0 ? 0 : (await DeleteCustomer.RunManyAsync(created, db, dependents, cancellationToken)).Count;
        var notYours = created.Count - removed;

        var updates = changes.Where(c => c.Kind == ImportChange.Updated).ToList();
        var (restored, kept, gone) = updates.Count > 0 ? await RestoreAsync(db, updates, cancellationToken) : (0L, 0L, 0L);
        return new RevertCounts(removed, restored, kept, notYours + gone);
    }

    private static async Task<(long Restored, long Kept, long NotYours)> RestoreAsync(AidaDb db, List<ImportChange> updates, CancellationToken cancellationToken)
    {
        long restored = 0, kept = 0, notYours = 0;
        var ids = updates.Select(u => u.RecordId).ToList();
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var customers = await db.Set<Customer>().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
        var primaries = await db.Set<Contact>().Where(c => ids.Contains(c.CustomerId) && c.IsPrimary).ToDictionaryAsync(c => c.CustomerId, cancellationToken);
        foreach (var update in updates)
        {
            if (!customers.TryGetValue(update.RecordId, out var customer))
            {
                notYours++;
                continue;
            }

            var primary = primaries.GetValueOrDefault(update.RecordId);
            var previous = JsonNode.Parse(update.Previous ?? "{}")!.AsObject();
            var imported = JsonNode.Parse(update.Imported ?? "{}")!.AsObject();
            var changed = new List<string>();
            foreach (var (field, value) in imported)
            {
                var field_ = ImportEngine.UpdatableField(field);
                if (field_ is null)
                {
                    continue;
                }

                var (get, set) = field_.Value;
                if (field.StartsWith("contact.", StringComparison.Ordinal) && primary is null)
                {
                    kept++;
                    continue;
                }

                if (!string.Equals(get(customer, primary), value?.GetValue<string>(), StringComparison.Ordinal))
                {
                    kept++; // changed again since the import: the later change stays
                    continue;
                }

                set(customer, primary, previous[field]?.GetValue<string>());
                changed.Add(field);
                restored++;
            }

            if (changed.Count > 0)
            {
                db.Publish("customer.updated", CustomerMapping.Subject(customer.Id), () => new { customer = customer.ToResponse(primary), changes = changed });
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (restored, kept, notYours);
    }
}
