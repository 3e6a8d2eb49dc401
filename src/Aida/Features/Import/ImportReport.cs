using System.Text;

namespace Aida.Features.Import;

/// <summary>
/// <c>GET /api/v1/imports/{id}/report</c>: the file's own columns and two more, <c>outcome</c> (created,
/// updated, skipped, failed) and <c>reason</c>, one line per row, streamed. Filter the failed rows, fix them
/// and upload the file again: the extra columns map to nothing. Cells that a spreadsheet would run as a
/// formula are prefixed with an apostrophe, as in exports.
/// </summary>
public static class ImportReport
{
    public static async Task<Results<PushStreamHttpResult, ProblemHttpResult>> Handle(
        Guid id, AidaDb db, ImportStorage storage, CancellationToken cancellationToken)
    {
        var import = await ImportMapping.Visible(db).AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (import is null)
        {
            return Problems.NotFound("import");
        }

        if (import.Status is ImportStatus.Uploaded or ImportStatus.Queued)
        {
            return Problems.Conflict("status", "The import has not run yet; there is no report.");
        }

        if (import.FileDeleted || !File.Exists(storage.FileOf(id)))
        {
            return Problems.Conflict("file", "The import's file has been deleted (30 days after upload, or on revert), and its report with it.");
        }

        var shape = new FileShape(import.FileFormat, import.Encoding, import.Delimiter?.FirstOrDefault());
        var name = Path.GetFileNameWithoutExtension(import.FileName) + "-report.csv";
        return TypedResults.Stream(async body =>
        {
            await using var writer = new StreamWriter(body, new UTF8Encoding(true), 1 << 16);
            using var reader = TabularFile.Open(storage.FileOf(id), shape);
            reader.ReadHeader();
            await writer.WriteLineAsync(Line(reader.Headers.Append("outcome").Append("reason")));
            using var outcomes = OutcomeWriter.Read(storage.OutcomesOf(id)).GetEnumerator();
            var outcome = outcomes.MoveNext() ? outcomes.Current : null;
            while (reader.Read())
            {
                while (outcome is not null && outcome.Row < reader.Row)
                {
                    outcome = outcomes.MoveNext() ? outcomes.Current : null;
                }

                var (what, why) = outcome is not null && outcome.Row == reader.Row
                    ? (outcome.Outcome, outcome.Reason)
                    : (RowOutcome.Skipped, "Not reached: the import stopped before this row.");
                await writer.WriteLineAsync(Line(reader.Cells.Append(what).Append(why)));
            }
        }, "text/csv; charset=utf-8", name);
    }

    private static string Line(IEnumerable<string> cells) =>
        string.Join(',', cells.Select(c => CsvRecords.Escape(Platform.Export.TableWriter.Neutralise(c))));
}
