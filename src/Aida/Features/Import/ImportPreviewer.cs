namespace Aida.Features.Import;

/// <summary>
/// The first rows of an import as they would be stored, each with what would happen to it (created,
/// updated, skipped as a duplicate, failed) and its problems by row and column: the engine's own batch
/// logic on a few rows, writing nothing.
/// </summary>
public sealed class ImportPreviewer(ImportEngine engine, TargetImportEngine targets, ImportStorage storage)
{
    public const int MaxRows = 100;

    public async Task<PreviewResponse> PreviewAsync(Import import, int limit, CancellationToken cancellationToken)
    {
        if (ImportTargets.Of(import.EntityType) is { } target)
        {
            return await targets.PreviewAsync(import, target, limit, cancellationToken);
        }

        var plan = ImportPlan.Of(import);
        var rows = new List<PendingRow>();
        using (var reader = TabularFile.Open(storage.FileOf(import.Id), new FileShape(import.FileFormat, import.Encoding, import.Delimiter?.FirstOrDefault())))
        {
            reader.ReadHeader();
            while (rows.Count < limit && reader.Read())
            {
                rows.Add(ImportEngine.Read(plan, reader, import.OwnerId));
            }
        }

        var owner = await engine.OwnerAsync(import.OwnerId, cancellationToken);
        await engine.ProcessAsync(import, owner, plan, rows, dryRun: true, plan.MapsParent ? new ImportEngine.ParentMemory() : null, cancellationToken);
        var preview = rows.Select(r => new PreviewRow(
            r.Row,
            r.Outcome!.Outcome,
            r.Outcome.Reason.Length > 0 ? r.Outcome.Reason : null,
            r.Parsed is { } parsed ? ImportMapping.StoredValues(parsed) : new Dictionary<string, string?>())).ToList();
        var problems = rows.SelectMany(r => r.Problems.Count > 0
            ? r.Problems
            : r.Outcome!.Outcome == RowOutcome.Failed ? [new RowProblem(r.Row, null, null, r.Outcome.Reason)] : []).ToList();
        return new PreviewResponse(preview, problems);
    }
}
