using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Aida.Features.Import;

/// <summary>
/// Runs an import of contacts or interactions (<see cref="IImportTarget"/>) as <see cref="ImportEngine"/> runs
/// one of customers: read a row at a time, validated with the API's rules, decided and written a batch per
/// transaction with every record in import_changes, all-or-nothing imports checked in a first pass that
/// writes nothing, progress and counts stamped after every batch, outcomes kept for the report.
/// </summary>
public sealed class TargetImportEngine(IServiceScopeFactory scopes, ImportStorage storage, IOptions<ImportSettings> settings, ILogger<TargetImportEngine> logger)
{
    private const double ProgressShareOfCheck = 0.3;

    public async Task RunAsync(Import import, User owner, IImportTarget target, CancellationToken cancellationToken)
    {
        var plan = ImportPlan.Of(import);
        try
        {
            if (!owner.IsActive)
            {
                await FinishAsync(import.Id, ImportStatus.Failed, "The user who started this import is no longer active.", null, cancellationToken);
                return;
            }

            if (!import.ValidRowsOnly)
            {
                var check = await PassAsync(import, owner, target, plan, dryRun: true, cancellationToken);
                if (check.Failed > 0)
                {
                    await FinishAsync(import.Id, ImportStatus.Failed,
                        $"{check.Failed:N0} of {check.Read:N0} rows have problems, so nothing was imported (all or nothing). Download the report, fix those rows and upload again, or choose to import the valid rows only.",
                        check with { Created = 0, Updated = 0, Skipped = check.Read - check.Failed }, cancellationToken);
                    return;
                }
            }

            var result = await PassAsync(import, owner, target, plan, dryRun: false, cancellationToken);
            await FinishAsync(import.Id, ImportStatus.Completed, null, result, cancellationToken);
        }
        catch (UnreadableFileException e)
        {
            await FinishAsync(import.Id, ImportStatus.Failed, e.Message + " Rows written before this point are listed in the report and can be reverted.", null, CancellationToken.None);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogError(e, "Import {ImportId} failed", import.Id);
            await FinishAsync(import.Id, ImportStatus.Failed,
                "The import stopped on an unexpected error. Rows written before it are listed in the report and can be reverted.", null, CancellationToken.None);
        }
    }

    /// <summary>The first rows, decided as the run would decide them, nothing written.</summary>
    public async Task<PreviewResponse> PreviewAsync(Import import, IImportTarget target, int limit, CancellationToken cancellationToken)
    {
        var plan = ImportPlan.Of(import);
        var rows = new List<TargetRow>();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
        var owner = await db.Set<User>().IgnoreQueryFilters().AsNoTracking().FirstAsync(u => u.Id == import.OwnerId, cancellationToken);
        var now = db.Clock.UtcNow();
        using (var reader = TabularFile.Open(storage.FileOf(import.Id), new FileShape(import.FileFormat, import.Encoding, import.Delimiter?.FirstOrDefault())))
        {
            reader.ReadHeader();
            while (rows.Count < limit && reader.Read())
            {
                rows.Add(Read(target, plan, reader, owner.Id, now));
            }
        }

        await ProcessAsync(db, import, owner, target, plan, rows, dryRun: true, cancellationToken);
        var preview = rows.Select(r => new PreviewRow(
            r.Row,
            r.Outcome!.Outcome,
            r.Outcome.Reason.Length > 0 ? r.Outcome.Reason : null,
            r.Parsed is { } parsed ? target.StoredValues(parsed) : new Dictionary<string, string?>())).ToList();
        var problems = rows.SelectMany(r => r.Problems.Count > 0
            ? r.Problems
            : r.Outcome!.Outcome == RowOutcome.Failed ? [new RowProblem(r.Row, null, null, r.Outcome.Reason)] : []).ToList();
        return new PreviewResponse(preview, problems);
    }

    private static TargetRow Read(IImportTarget target, ImportPlan plan, TableReader reader, Guid ownerId, DateTime now)
    {
        if (reader.Problem is { } problem)
        {
            return new TargetRow(reader.Row, null, [new RowProblem(reader.Row, problem.Column, null, problem.Message)]);
        }

        var errors = new ValidationErrors();
        var parsed = target.Build(plan.Values(reader.Cells), ownerId, now, errors);
        return parsed is null
            ? new TargetRow(reader.Row, null, plan.Problems(reader.Row, errors).ToList())
            : new TargetRow(reader.Row, parsed, []);
    }

    private async Task ProcessAsync(
        AidaDb db, Import import, User owner, IImportTarget target, ImportPlan plan, List<TargetRow> rows, bool dryRun, CancellationToken cancellationToken)
    {
        db.Operation.BecomeUser(owner.Id, owner.DisplayName, Access.Of(owner.Role, owner.TeamId, readOnlyToken: false), null);
        foreach (var row in rows.Where(r => r.Parsed is null))
        {
            row.Outcome = new RowOutcome(row.Row, RowOutcome.Failed, ImportEngine.Describe(row.Problems), null);
        }

        await using var transaction = dryRun ? null : await db.BeginBulkInsertAsync(cancellationToken);
        await target.ProcessAsync(new TargetBatch(db, import, plan, owner, dryRun), rows, cancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }
    }

    private async Task<ImportEngine.Counts> PassAsync(Import import, User owner, IImportTarget target, ImportPlan plan, bool dryRun, CancellationToken cancellationToken)
    {
        var shape = new FileShape(import.FileFormat, import.Encoding, import.Delimiter?.FirstOrDefault());
        using var reader = TabularFile.Open(storage.FileOf(import.Id), shape);
        reader.ReadHeader();
        using var outcomes = new OutcomeWriter(storage.OutcomesOf(import.Id));
        var batch = new List<TargetRow>(settings.Value.BatchSize);
        var counts = new ImportEngine.Counts(0, 0, 0, 0, 0);
        DateTime now;
        await using (var scope = scopes.CreateAsyncScope())
        {
            now = scope.ServiceProvider.GetRequiredService<AidaDb>().Clock.UtcNow();
        }

        async Task FlushAsync()
        {
            await using (var scope = scopes.CreateAsyncScope())
            {
                await ProcessAsync(scope.ServiceProvider.GetRequiredService<AidaDb>(), import, owner, target, plan, batch, dryRun, cancellationToken);
            }

            foreach (var row in batch)
            {
                row.Outcome ??= new RowOutcome(row.Row, RowOutcome.Failed, ImportEngine.Describe(row.Problems), null);
                if (dryRun && row.Outcome.Outcome != RowOutcome.Failed)
                {
                    row.Outcome = row.Outcome with { Outcome = RowOutcome.Skipped, Reason = "Not imported: other rows have problems and the import is all or nothing.", RecordId = null };
                }

                outcomes.Write(row.Outcome);
                counts = row.Outcome.Outcome switch
                {
                    RowOutcome.Created => counts with { Created = counts.Created + 1 },
                    RowOutcome.Updated => counts with { Updated = counts.Updated + 1 },
                    RowOutcome.Skipped when !dryRun => counts with { Skipped = counts.Skipped + 1 },
                    RowOutcome.Skipped => counts,
                    _ => counts with { Failed = counts.Failed + 1 },
                };
            }

            outcomes.Flush();
            counts = counts with { Read = counts.Read + batch.Count };
            batch.Clear();
            var progress = dryRun ? reader.Progress * ProgressShareOfCheck : import.ValidRowsOnly ? reader.Progress : ProgressShareOfCheck + reader.Progress * (1 - ProgressShareOfCheck);
            await HeartbeatAsync(import.Id, dryRun ? null : counts, progress, cancellationToken);
        }

        while (reader.Read())
        {
            batch.Add(Read(target, plan, reader, owner.Id, now));
            if (batch.Count == settings.Value.BatchSize)
            {
                await FlushAsync();
            }
        }

        if (batch.Count > 0)
        {
            await FlushAsync();
        }

        return counts;
    }

    private Task HeartbeatAsync(Guid importId, ImportEngine.Counts? counts, double progress, CancellationToken cancellationToken) =>
        ImportEngine.HeartbeatAsync(scopes, importId, counts, progress, cancellationToken);

    private Task FinishAsync(Guid importId, ImportStatus status, string? error, ImportEngine.Counts? counts, CancellationToken cancellationToken) =>
        ImportEngine.FinishAsync(scopes, importId, status, error, counts, cancellationToken);
}
