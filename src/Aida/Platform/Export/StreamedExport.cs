using System.Text.Json.Nodes;

namespace Aida.Platform.Export;

/// <summary>One exported column: its header and how a row gives its value.</summary>
public sealed record ExportColumn<TRow>(string Name, Func<TRow, object?> Value);

/// <summary>
/// Streams an export (issue 17 item 2): rows are read a batch at a time by key (keyset, no tracking, the
/// caller's record-level query filters applied by the database context), written in the chosen format and
/// sent before the next batch is read, so a million rows never sit in memory. When the download ends —
/// completed or abandoned — one audit entry says who exported what, how, with which filters and how many rows.
/// </summary>
public static class StreamedExport
{
    public const string AuditEntityType = "export";

    public const int BatchSize = 5000;

    /// <param name="nextBatch">The rows after the given key (null: from the start), at most the given count, in key order.</param>
    public static async Task<PushStreamHttpResult> CreateAsync<TRow>(
        AidaDb db,
        string entity,
        ExportFormat format,
        JsonObject filters,
        IReadOnlyList<ExportColumn<TRow>> columns,
        Func<TRow, Guid> keyOf,
        Func<Guid?, int, CancellationToken, Task<IReadOnlyList<TRow>>> nextBatch,
        CancellationToken cancellationToken,
        string? fileName = null)
    {
        var now = db.Clock.UtcNow();
        fileName ??= $"{entity}-{now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}";

        // The first batch is read before the response starts, so a query that fails is an ordinary error
        // answer rather than a download cut short after a 200.
        var first = await nextBatch(null, BatchSize, cancellationToken);
        return TypedResults.Stream(async body =>
        {
            long rows = 0;
            var completed = false;
            try
            {
                using var spool = new SpoolStream();
                using var writer = TableWriter.Create(format, spool, columns.Select(c => c.Name).ToArray());
                var values = new object?[columns.Count];
                var batch = first;
                first = [];
                while (true)
                {
                    foreach (var row in batch)
                    {
                        for (var i = 0; i < columns.Count; i++)
                        {
                            values[i] = columns[i].Value(row);
                        }

                        writer.WriteRow(values);
                    }

                    rows += batch.Count;
                    writer.Flush();
                    await spool.DrainToAsync(body, cancellationToken);
                    if (batch.Count < BatchSize)
                    {
                        break;
                    }

                    batch = await nextBatch(keyOf(batch[^1]), BatchSize, cancellationToken);
                }

                writer.Finish();
                await spool.DrainToAsync(body, cancellationToken);
                completed = true;
            }
            finally
            {
                await AuditAsync(db, entity, format, filters, rows, completed);
            }
        }, format.ContentType(), $"{fileName}.{format.Extension()}");
    }

    /// <summary>Written even when the download broke off: what left the building is what the audit must show.</summary>
    private static async Task AuditAsync(AidaDb db, string entity, ExportFormat format, JsonObject filters, long rows, bool completed)
    {
        db.ChangeTracker.Clear();
        db.Add(new AuditEntry
        {
            OccurredAt = db.Clock.UtcNow(),
            ActorId = db.Operation.ActorId,
            ActorName = db.Operation.ActorName,
            ActorTokenId = db.Operation.TokenId,
            RequestId = db.Operation.RequestId,
            EntityType = AuditEntityType,
            EntityId = Guid.CreateVersion7(),
            Action = AuditAction.Create,
            Changes = new JsonObject
            {
                ["entity"] = entity,
                ["format"] = EnumText<ExportFormat>.ToText(format),
                ["filters"] = filters,
                ["rows"] = rows,
                ["completed"] = completed,
            }.ToJsonString(ApiJson.Options),
        });
        await db.SaveChangesAsync(CancellationToken.None);
    }
}
