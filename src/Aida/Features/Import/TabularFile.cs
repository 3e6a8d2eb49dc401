using System.Text;
using ExcelDataReader;

namespace Aida.Features.Import;

public enum FileFormat
{
    Csv,
    Xlsx,
    Xls,
}

/// <summary>What the upload learnt about a file: its format, and for CSV its encoding and delimiter.</summary>
public sealed record FileShape(FileFormat Format, string? EncodingName, char? Delimiter);

/// <summary>A file refused at upload, with the message the user sees (400).</summary>
public sealed class UnreadableFileException(string message) : Exception(message);

/// <summary>
/// Reads an uploaded spreadsheet row by row, whatever it is: CSV in any delimiter and encoding, or Excel
/// (.xlsx, .xls). Never holds more than one row; the format is decided by the bytes, not by the name.
/// </summary>
public static class TabularFile
{
    /// <summary>More columns than any CRM export has; a file with more is refused at upload.</summary>
    public const int MaxColumns = 500;

    /// <summary>A cell longer than this is a problem of its row (no field of Aida is longer).</summary>
    public const int MaxCellChars = 32 * 1024;

    private const int SampleBytes = 64 * 1024;

    private static readonly char[] Delimiters = [',', ';', '\t', '|'];

    static TabularFile() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Decides the format (and a CSV's encoding and delimiter) from the file's first bytes.</summary>
    public static FileShape Sniff(string path)
    {
        var sample = new byte[SampleBytes];
        int length;
        using (var stream = File.OpenRead(path))
        {
            length = stream.ReadAtLeast(sample, SampleBytes, throwOnEndOfStream: false);
        }

        var bytes = sample.AsSpan(0, length);
        if (length == 0)
        {
            throw new UnreadableFileException("The file is empty.");
        }

        if (bytes.StartsWith("PK\u0003\u0004"u8))
        {
            return new FileShape(FileFormat.Xlsx, null, null);
        }

        if (bytes.StartsWith(new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }))
        {
            return new FileShape(FileFormat.Xls, null, null);
        }

        var encoding = DetectEncoding(bytes);
        var text = encoding.GetString(bytes[Preamble(bytes)..]);
        if (encoding is UTF8Encoding or { CodePage: 1252 } && LooksBinary(bytes))
        {
            throw new UnreadableFileException("The file is not a CSV or Excel file: it holds binary data. Upload a .csv, .xlsx or .xls file.");
        }

        return new FileShape(FileFormat.Csv, encoding.WebName, DetectDelimiter(text));
    }

    public static TableReader Open(string path, FileShape shape) => shape.Format switch
    {
        FileFormat.Csv => new CsvTableReader(path, EncodingOf(shape.EncodingName), shape.Delimiter ?? ','),
        _ => new ExcelTableReader(path),
    };

    /// <summary>
    /// UTF-8 whose invalid bytes are read as Windows-1252: a file saved partly by a tool that writes UTF-8
    /// and partly by one that writes the Windows code page ("mixed encodings") reads correctly either way.
    /// </summary>
    private static Encoding EncodingOf(string? name) => name switch
    {
        null or "utf-8" => Encoding.GetEncoding("utf-8", EncoderFallback.ReplacementFallback, new Windows1252Fallback()),
        _ => Encoding.GetEncoding(name),
    };

    private static Encoding DetectEncoding(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }))
        {
            return Encoding.UTF8;
        }

        if (bytes.StartsWith(new byte[] { 0xFF, 0xFE }))
        {
            return Encoding.Unicode;
        }

        if (bytes.StartsWith(new byte[] { 0xFE, 0xFF }))
        {
            return Encoding.BigEndianUnicode;
        }

        // UTF-16 without a byte order mark: text in Latin letters has a zero in every other byte.
        int evenZeros = 0, oddZeros = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == 0)
            {
                if (i % 2 == 0)
                {
                    evenZeros++;
                }
                else
                {
                    oddZeros++;
                }
            }
        }

        if (bytes.Length >= 4 && oddZeros > bytes.Length / 4 && evenZeros < bytes.Length / 50)
        {
            return Encoding.Unicode;
        }

        if (bytes.Length >= 4 && evenZeros > bytes.Length / 4 && oddZeros < bytes.Length / 50)
        {
            return Encoding.BigEndianUnicode;
        }

        return IsMostlyUtf8(bytes) ? Encoding.UTF8 : Encoding.GetEncoding(1252);
    }

    private static int Preamble(ReadOnlySpan<byte> bytes) =>
        bytes.StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }) ? 3 : bytes.StartsWith(new byte[] { 0xFF, 0xFE }) || bytes.StartsWith(new byte[] { 0xFE, 0xFF }) ? 2 : 0;

    /// <summary>Valid UTF-8, or UTF-8 with a few stray Windows-1252 bytes (mixed), rather than a Windows-1252 file throughout.</summary>
    private static bool IsMostlyUtf8(ReadOnlySpan<byte> bytes)
    {
        int valid = 0, invalid = 0;
        var i = 0;
        while (i < bytes.Length)
        {
            var b = bytes[i];
            var extra = b < 0x80 ? 0 : (b & 0xE0) == 0xC0 ? 1 : (b & 0xF0) == 0xE0 ? 2 : (b & 0xF8) == 0xF0 ? 3 : -1;
            if (extra == 0)
            {
                i++;
                continue;
            }

            if (extra < 0)
            {
                invalid++;
                i++;
                continue;
            }

            var ok = true;
            for (var k = 1; k <= extra; k++)
            {
                if (i + k >= bytes.Length)
                {
                    break; // a sequence cut by the end of the sample
                }

                if ((bytes[i + k] & 0xC0) != 0x80)
                {
                    ok = false;
                    break;
                }
            }

            if (ok)
            {
                valid++;
                i += extra + 1;
            }
            else
            {
                invalid++;
                i++;
            }
        }

        return invalid == 0 || valid > invalid;
    }

    private static bool LooksBinary(ReadOnlySpan<byte> bytes)
    {
        var control = 0;
        foreach (var b in bytes)
        {
            if (b == 0)
            {
                return true;
            }

            if (b < 0x09 || b is > 0x0D and < 0x20 and not 0x1A)
            {
                control++;
            }
        }

        return control > bytes.Length / 100;
    }

    /// <summary>The candidate that splits the first lines into the same, largest number of cells.</summary>
    private static char DetectDelimiter(string text)
    {
        var lines = SplitLines(text).Take(20).ToList();
        if (lines.Count > 1 && text.Length >= SampleBytes / 2)
        {
            lines.RemoveAt(lines.Count - 1); // possibly cut by the sample's end
        }

        var best = ',';
        var bestScore = 0.0;
        foreach (var delimiter in Delimiters)
        {
            var counts = lines.Select(line => CountOutsideQuotes(line, delimiter)).ToList();
            if (counts.Count == 0 || counts[0] == 0)
            {
                continue;
            }

            var consistent = counts.Count(c => c == counts[0]) / (double)counts.Count;
            var score = consistent * counts[0];
            if (score > bestScore)
            {
                best = delimiter;
                bestScore = score;
            }
        }

        return best;
    }

    private static IEnumerable<string> SplitLines(string text)
    {
        var start = 0;
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && text[i] == '\n')
            {
                yield return text[start..i].TrimEnd('\r');
                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            yield return text[start..];
        }
    }

    private static int CountOutsideQuotes(string line, char delimiter)
    {
        var count = 0;
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && c == delimiter)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Reads each byte that is not valid UTF-8 as the Windows-1252 character it would be.</summary>
    private sealed class Windows1252Fallback : DecoderFallback
    {
        private static readonly Encoding Windows1252 = Encoding.GetEncoding(1252);

        public override int MaxCharCount => 4;

        public override DecoderFallbackBuffer CreateFallbackBuffer() => new Buffer();

        private sealed class Buffer : DecoderFallbackBuffer
        {
            private string _chars = "";
            private int _next;

            public override int Remaining => _chars.Length - _next;

            public override bool Fallback(byte[] bytesUnknown, int index)
            {
                _chars = Windows1252.GetString(bytesUnknown);
                _next = 0;
                return _chars.Length > 0;
            }

            public override char GetNextChar() => _next < _chars.Length ? _chars[_next++] : '\0';

            public override bool MovePrevious()
            {
                if (_next == 0)
                {
                    return false;
                }

                _next--;
                return true;
            }

            public override void Reset()
            {
                _chars = "";
                _next = 0;
            }
        }
    }
}

/// <summary>A file's header and then its rows, one at a time; blank rows are passed over.</summary>
public abstract class TableReader : IDisposable
{
    /// <summary>The header row as written (trimmed).</summary>
    public IReadOnlyList<string> Headers { get; protected set; } = [];

    /// <summary>The current row's cells, as many as the header has (missing ones empty).</summary>
    public string[] Cells { get; protected set; } = [];

    /// <summary>The current row's number as a spreadsheet shows it: the header is row 1.</summary>
    public long Row { get; protected set; }

    /// <summary>What is wrong with the current row as read (broken quoting, a cell too long), with the column it is in.</summary>
    public (string? Column, string Message)? Problem { get; protected set; }

    /// <summary>Share of the file read so far, 0..1.</summary>
    public abstract double Progress { get; }

    /// <summary>Reads the header; a file without one, or with too many or repeated columns, is refused.</summary>
    public void ReadHeader()
    {
        var header = ReadRecord() ?? throw new UnreadableFileException("The file is empty: it has no header row.");
        if (header.Length > TabularFile.MaxColumns)
        {
            throw new UnreadableFileException($"The file has {header.Length} columns; at most {TabularFile.MaxColumns} are accepted.");
        }

        var names = header.Select((h, i) => string.IsNullOrWhiteSpace(h) ? $"Column {i + 1}" : h.Trim()).ToList();
        while (names.Count > 0 && names[^1].StartsWith("Column ", StringComparison.Ordinal) && string.IsNullOrWhiteSpace(header[names.Count - 1]))
        {
            names.RemoveAt(names.Count - 1); // trailing empty columns (a spreadsheet's formatting)
        }

        if (names.Count == 0)
        {
            throw new UnreadableFileException("The first row is empty: the file needs a header row naming its columns.");
        }

        var repeated = names.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (repeated.Count > 0)
        {
            throw new UnreadableFileException($"These column names appear more than once: {string.Join(", ", repeated)}. Rename them so that each column has its own name.");
        }

        Headers = names;
    }

    /// <summary>Moves to the next non-blank row; false at the end.</summary>
    public bool Read()
    {
        while (true)
        {
            Problem = null;
            var record = ReadRecord();
            if (record is null)
            {
                return false;
            }

            if (record.All(string.IsNullOrWhiteSpace) && Problem is null)
            {
                continue;
            }

            var cells = new string[Headers.Count];
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i] = i < record.Length ? record[i] : "";
            }

            for (var i = 0; i < record.Length; i++)
            {
                if (record[i].Length > TabularFile.MaxCellChars)
                {
                    Problem ??= (i < Headers.Count ? Headers[i] : null, $"The cell is {record[i].Length:N0} characters long; at most {TabularFile.MaxCellChars:N0} are accepted.");
                    if (i < cells.Length)
                    {
                        cells[i] = "";
                    }
                }
            }

            if (record.Length > Headers.Count && record.Skip(Headers.Count).Any(c => !string.IsNullOrWhiteSpace(c)))
            {
                Problem ??= (null, $"The row has {record.Length} cells but the header names {Headers.Count} columns.");
            }

            Cells = cells;
            return true;
        }
    }

    /// <summary>The next physical record, or null at the end; sets <see cref="Row"/> and, for bad data, <see cref="Problem"/>.</summary>
    protected abstract string[]? ReadRecord();

    public abstract void Dispose();
}

internal sealed class CsvTableReader : TableReader
{
    private readonly FileStream _stream;
    private readonly CsvRecords _records;

    public CsvTableReader(string path, Encoding encoding, char delimiter)
    {
        _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        _records = new CsvRecords(new StreamReader(_stream, encoding, detectEncodingFromByteOrderMarks: true, 1 << 16), delimiter);
    }

    public override double Progress => _stream.Length == 0 ? 1 : Math.Min(1, (double)_stream.Position / _stream.Length);

    protected override string[]? ReadRecord()
    {
        var record = _records.Read();
        if (record is null)
        {
            return null;
        }

        Row++;
        if (_records.Problem is { } problem)
        {
            Problem = (problem.Column < Headers.Count ? Headers[problem.Column] : null, problem.Message);
        }

        return record;
    }

    public override void Dispose()
    {
        _records.Dispose();
        _stream.Dispose();
    }
}

/// <summary>
/// RFC 4180 records from a text stream, one at a time. Written here rather than taken from CsvHelper so
/// that a bad file is described, not thrown: broken quoting is a problem of its record with the cell it is
/// in, and a cell longer than <see cref="TabularFile.MaxCellChars"/> is counted but not kept, so a 100 MB
/// cell costs 32 K characters of memory.
/// </summary>
public sealed class CsvRecords(TextReader reader, char delimiter) : IDisposable
{
    private readonly char[] _buffer = new char[1 << 16];
    private readonly System.Text.StringBuilder _cell = new();
    private int _length;
    private int _position;

    /// <summary>What was wrong with the last record read, and in which cell (0-based).</summary>
    public (int Column, string Message)? Problem { get; private set; }

    private int Next()
    {
        if (_position == _length)
        {
            _length = reader.Read(_buffer, 0, _buffer.Length);
            _position = 0;
            if (_length <= 0)
            {
                _length = 0;
                return -1;
            }
        }

        return _buffer[_position++];
    }

    private int Peek()
    {
        if (_position == _length)
        {
            _length = reader.Read(_buffer, 0, _buffer.Length);
            _position = 0;
            if (_length <= 0)
            {
                _length = 0;
                return -1;
            }
        }

        return _buffer[_position];
    }

    /// <summary>The next record's cells, or null at the end of the stream.</summary>
    public string[]? Read()
    {
        Problem = null;
        var c = Next();
        if (c == -1)
        {
            return null;
        }

        var cells = new List<string>();
        long cellLength = 0;
        var quoted = false;
        var startOfCell = true;

        void Append(char ch)
        {
            cellLength++;
            if (_cell.Length < TabularFile.MaxCellChars + 1)
            {
                _cell.Append(ch);
            }
        }

        void EndCell()
        {
            if (cellLength > TabularFile.MaxCellChars)
            {
                Problem ??= (cells.Count, $"The cell is {cellLength:N0} characters long; at most {TabularFile.MaxCellChars:N0} are accepted.");
                _cell.Clear();
            }

            cells.Add(_cell.ToString());
            _cell.Clear();
            cellLength = 0;
            startOfCell = true;
        }

        while (true)
        {
            if (c == -1)
            {
                if (quoted)
                {
                    Problem ??= (cells.Count, "Broken quoting: a quoted cell is never closed, so the rest of the file was read into it.");
                }

                EndCell();
                return cells.ToArray();
            }

            var ch = (char)c;
            if (quoted)
            {
                if (ch == '"')
                {
                    var after = Peek();
                    if (after == '"')
                    {
                        Next();
                        Append('"');
                    }
                    else if (after == -1 || after == delimiter || after == '\r' || after == '\n')
                    {
                        quoted = false;
                    }
                    else
                    {
                        Problem ??= (cells.Count, "Broken quoting: a quote inside a quoted cell is not doubled.");
                        Append('"');
                    }
                }
                else
                {
                    Append(ch);
                }
            }
            else if (ch == delimiter)
            {
                EndCell();
            }
            else if (ch is '\r' or '\n')
            {
                if (ch == '\r' && Peek() == '\n')
                {
                    Next();
                }

                EndCell();
                return cells.ToArray();
            }
            else if (ch == '"' && startOfCell)
            {
                quoted = true;
                startOfCell = false;
            }
            else
            {
                if (ch == '"')
                {
                    Problem ??= (cells.Count, "Broken quoting: a quote in a cell that does not start with one.");
                }

                startOfCell = false;
                Append(ch);
            }

            c = Next();
        }
    }

    public void Dispose() => reader.Dispose();

    /// <summary>A value as a CSV cell: quoted when it holds the delimiter, a quote, a line break or edge spaces.</summary>
    public static string Escape(string value, char delimiter = ',') =>
        value.Length > 0 && (value.AsSpan().IndexOfAny([delimiter, '"', '\n', '\r']) >= 0 || value[0] == ' ' || value[^1] == ' ')
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
}

internal sealed class ExcelTableReader : TableReader
{
    private readonly FileStream _stream;
    private readonly IExcelDataReader _reader;

    public ExcelTableReader(string path)
    {
        _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            _reader = ExcelReaderFactory.CreateReader(_stream);
        }
        catch (Exception e) when (e is ExcelDataReader.Exceptions.ExcelReaderException or InvalidDataException or NotSupportedException or IOException)
        {
            _stream.Dispose();
            throw new UnreadableFileException("The file looks like an Excel workbook but cannot be read; save it again from Excel, or as CSV.");
        }
    }

    public override double Progress => _reader.RowCount == 0 ? 1 : Math.Min(1, (double)Row / _reader.RowCount);

    protected override string[]? ReadRecord()
    {
        bool read;
        try
        {
            read = _reader.Read();
        }
        catch (Exception e) when (e is ExcelDataReader.Exceptions.ExcelReaderException or InvalidDataException or System.Xml.XmlException)
        {
            throw new UnreadableFileException($"Row {Row + 1}: the workbook is damaged and cannot be read further.");
        }

        if (!read)
        {
            return null;
        }

        Row++;
        var cells = new string[_reader.FieldCount];
        for (var i = 0; i < cells.Length; i++)
        {
            // A formula cell gives its cached value: nothing in a workbook is ever evaluated here.
            cells[i] = _reader.GetValue(i) switch
            {
                null => "",
                string s => s,
                DateTime d => d.TimeOfDay == TimeSpan.Zero ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : d.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
                bool b => b ? "true" : "false",
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                var other => other.ToString() ?? "",
            };
        }

        return cells;
    }

    public override void Dispose()
    {
        _reader.Dispose();
        _stream.Dispose();
    }
}
