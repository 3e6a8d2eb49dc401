using Aida.Platform.Hosting;

namespace Aida.Features.Import;

public sealed class ImportSettings
{
    /// <summary>The largest file an upload accepts (<c>Import:MaxFileBytes</c>); a million customer rows are about 200 MB.</summary>
    public long MaxFileBytes { get; set; } = 1L << 30;

    /// <summary>Rows written per transaction (<c>Import:BatchSize</c>).</summary>
    public int BatchSize { get; set; } = 20_000;

    /// <summary>A running import whose heartbeat is older than this was interrupted (the server stopped).</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromMinutes(2);
}

/// <summary>
/// Uploaded files and their row outcomes, under the data directory's <c>imports</c> folder: streamed to
/// disk as they arrive, read back a row at a time, kept 30 days (or until the import is reverted). A
/// file on disk survives a restart on both databases without putting a gigabyte into either.
/// </summary>
public sealed class ImportStorage(AidaSettings settings)
{
    public string Directory { get; } = Path.Combine(Path.GetFullPath(settings.DataDirectory), "imports");

    public string FileOf(Guid importId) => Path.Combine(Directory, $"{importId}.upload");

    public string OutcomesOf(Guid importId) => Path.Combine(Directory, $"{importId}.outcomes.csv");

    public void Delete(Guid importId)
    {
        File.Delete(FileOf(importId));
        File.Delete(OutcomesOf(importId));
    }
}

/// <summary>What became of one row: created, updated, skipped or failed, why, and the record it made or matched.</summary>
public sealed record RowOutcome(long Row, string Outcome, string Reason, Guid? RecordId)
{
    public const string Created = "created";
    public const string Updated = "updated";
    public const string Skipped = "skipped";
    public const string Failed = "failed";
}

/// <summary>The outcomes file: one line per row, in row order, appended batch by batch.</summary>
public sealed class OutcomeWriter(string path) : IDisposable
{
    private readonly StreamWriter _writer = new(path, append: false, System.Text.Encoding.UTF8, 1 << 16);

    public void Write(RowOutcome outcome)
    {
        _writer.Write(outcome.Row.ToString(CultureInfo.InvariantCulture));
        _writer.Write(',');
        _writer.Write(outcome.Outcome);
        _writer.Write(',');
        _writer.Write(CsvRecords.Escape(outcome.Reason));
        _writer.Write(',');
        _writer.Write(outcome.RecordId?.ToString() ?? "");
        _writer.Write('\n');
    }

    public void Flush() => _writer.Flush();

    public void Dispose() => _writer.Dispose();

    /// <summary>Reads an outcomes file back in order.</summary>
    public static IEnumerable<RowOutcome> Read(string path)
    {
        if (!File.Exists(path))
        {
            yield break;
        }

        using var records = new CsvRecords(new StreamReader(path, System.Text.Encoding.UTF8), ',');
        while (records.Read() is { Length: >= 4 } r)
        {
            yield return new RowOutcome(long.Parse(r[0], CultureInfo.InvariantCulture), r[1], r[2], Guid.TryParse(r[3], out var id) ? id : null);
        }
    }
}
