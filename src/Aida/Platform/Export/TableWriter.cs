using System.IO.Compression;
using System.Text;
using System.Xml;

namespace Aida.Platform.Export;

/// <summary>
/// Writes a table row by row in one of the export formats, synchronously into a <see cref="SpoolStream"/>
/// that the caller drains to the response after each batch: nothing but the current batch is ever held.
/// Text cells a spreadsheet would run as a formula are neutralised in CSV and Excel (OWASP "CSV injection");
/// JSON is data, read by programs, and keeps the text as it is.
/// </summary>
public abstract class TableWriter : IDisposable
{
    public static TableWriter Create(ExportFormat format, Stream output, IReadOnlyList<string> columns) => format switch
    {
        ExportFormat.Xlsx => new XlsxTableWriter(output, columns),
        ExportFormat.Json => new JsonTableWriter(output, columns),
        _ => new CsvTableWriter(output, columns),
    };

    /// <summary>One row; each value is text, a number, a bool, a time (UTC), a date, an id, or null.</summary>
    public abstract void WriteRow(IReadOnlyList<object?> values);

    /// <summary>Pushes what is buffered into the output (called between batches).</summary>
    public abstract void Flush();

    /// <summary>Closes the document (JSON's array, the workbook's parts).</summary>
    public abstract void Finish();

    public virtual void Dispose() => GC.SuppressFinalize(this);

    /// <summary>A text a spreadsheet would read as a formula gets an apostrophe in front, shown as text.</summary>
    public static string Neutralise(string text) =>
        text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;

    /// <summary>Values other than text and numbers as the API spells them (ISO times, lower-case ids).</summary>
    protected static string Text(object value) => value switch
    {
        string s => s,
        DateTime t => UiContext.Iso(t),
        DateTimeOffset t => UiContext.Iso(t.UtcDateTime),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    protected static bool IsNumber(object value) => value is int or long or decimal or double or float or short;
}

internal sealed class CsvTableWriter : TableWriter
{
    private readonly StreamWriter _writer;

    public CsvTableWriter(Stream output, IReadOnlyList<string> columns)
    {
        _writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16, leaveOpen: true);
        WriteRow(columns);
    }

    public override void WriteRow(IReadOnlyList<object?> values)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (i > 0)
            {
                _writer.Write(',');
            }

            if (values[i] is { } value)
            {
                WriteCell(IsNumber(value) ? Text(value) : Neutralise(Text(value)));
            }
        }

        _writer.Write("\r\n");
    }

    private void WriteCell(string cell)
    {
        if (cell.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            _writer.Write(cell);
            return;
        }

        _writer.Write('"');
        _writer.Write(cell.Replace("\"", "\"\"", StringComparison.Ordinal));
        _writer.Write('"');
    }

    public override void Flush() => _writer.Flush();

    public override void Finish() => _writer.Flush();

    public override void Dispose()
    {
        _writer.Dispose();
        base.Dispose();
    }
}

internal sealed class JsonTableWriter : TableWriter
{
    private readonly Utf8JsonWriter _writer;
    private readonly JsonEncodedText[] _names;

    public JsonTableWriter(Stream output, IReadOnlyList<string> columns)
    {
        _writer = new Utf8JsonWriter(output);
        _names = columns.Select(c => JsonEncodedText.Encode(c)).ToArray();
        _writer.WriteStartArray();
    }

    public override void WriteRow(IReadOnlyList<object?> values)
    {
        _writer.WriteStartObject();
        for (var i = 0; i < values.Count; i++)
        {
            var name = _names[i];
            switch (values[i])
            {
                case null: _writer.WriteNull(name); break;
                case int n: _writer.WriteNumber(name, n); break;
                case long n: _writer.WriteNumber(name, n); break;
                case decimal n: _writer.WriteNumber(name, n); break;
                case double n: _writer.WriteNumber(name, n); break;
                case bool b: _writer.WriteBoolean(name, b); break;
                case Guid g: _writer.WriteString(name, g); break;
                case { } value: _writer.WriteString(name, Text(value)); break;
            }
        }

        _writer.WriteEndObject();
    }

    public override void Flush() => _writer.Flush();

    public override void Finish()
    {
        _writer.WriteEndArray();
        _writer.Flush();
    }

    public override void Dispose()
    {
        _writer.Dispose();
        base.Dispose();
    }
}

/// <summary>
/// A minimal SpreadsheetML workbook (one sheet, inline strings, no shared-string table, so nothing grows
/// with the row count) written straight into a zip entry: the SAX-style approach OpenXmlWriter takes, with
/// the framework's zip. The zip goes to a non-seekable stream, so each entry carries a data descriptor and the
/// sheet is compressed as it is written. The sheet's markup is written directly (a handful of fixed elements, text
/// escaped here): XmlWriter's checks of every element and attribute were a fifth of a million-row export's time.
/// </summary>
internal sealed class XlsxTableWriter : TableWriter
{
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    /// <summary>Excel's limit: longer text is cut rather than making the file unreadable.</summary>
    private const int MaxCellLength = 32767;

    /// <summary>Day 0 of spreadsheet dates (so that 1900-03-01 is day 61, as Excel counts).</summary>
    private static readonly DateTime SpreadsheetEpoch = new(1899, 12, 30, 0, 0, 0, DateTimeKind.Unspecified);

    /// <summary>The style attributes that point into the cellXfs of styles.xml.</summary>
    private const string DateStyle = " s=\"1\"", TimeStyle = " s=\"2\"";

    private readonly ZipArchive _zip;
    private readonly Stream _sheetStream;
    private readonly StreamWriter _sheet;
    private readonly int _columnCount;
    private readonly string[] _columnNames;
    private long _row;
    private bool _closed;

    public XlsxTableWriter(Stream output, IReadOnlyList<string> columns)
    {
        _zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        Part("[Content_Types].xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>
            """);
        Part("_rels/.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
            """);
        Part("xl/workbook.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Export" sheetId="1" r:id="rId1"/></sheets></workbook>
            """);
        Part("xl/_rels/workbook.xml.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>
            """);
        Part("xl/styles.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/><numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>
            """);

        _sheetStream = _zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.Fastest).Open();
        _sheet = new StreamWriter(_sheetStream, new UTF8Encoding(false), bufferSize: 1 << 16, leaveOpen: true);
        _sheet.Write($"""<?xml version="1.0" encoding="utf-8" standalone="yes"?><worksheet xmlns="{Main}"><sheetData>""");
        _columnCount = columns.Count;
        _columnNames = Enumerable.Range(0, columns.Count).Select(ColumnName).ToArray();
        WriteRow(columns);
    }

    public override void WriteRow(IReadOnlyList<object?> values)
    {
        _row++;
        var row = _row.ToString(CultureInfo.InvariantCulture);
        _sheet.Write("<row r=\"");
        _sheet.Write(row);
        _sheet.Write("\">");
        for (var i = 0; i < values.Count && i < _columnCount; i++)
        {
            // Every cell names its place (A2, B2, …): an empty one is left out, and readers would otherwise shift the rest left.
            switch (values[i])
            {
                case null:
                    break;
                case bool b:
                    StartCell(i, row, " t=\"b\"");
                    _sheet.Write(b ? "<v>1</v></c>" : "<v>0</v></c>");
                    break;
                case DateTime time:
                    WriteDate(i, row, time, TimeStyle);
                    break;
                case DateTimeOffset time:
                    WriteDate(i, row, time.UtcDateTime, TimeStyle);
                    break;
                case DateOnly date:
                    WriteDate(i, row, date.ToDateTime(TimeOnly.MinValue), DateStyle);
                    break;
                case { } number when IsNumber(number):
                    StartCell(i, row, "");
                    _sheet.Write("<v>");
                    _sheet.Write(Text(number));
                    _sheet.Write("</v></c>");
                    break;
                case { } value:
                    var text = XmlSafe(Neutralise(Text(value)));
                    StartCell(i, row, " t=\"inlineStr\"");
                    // Leading and trailing spaces are kept only when the text says so; elsewhere it is noise.
                    _sheet.Write(text.Length > 0 && (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1])) ? "<is><t xml:space=\"preserve\">" : "<is><t>");
                    WriteEscaped(text);
                    _sheet.Write("</t></is></c>");
                    break;
            }
        }

        _sheet.Write("</row>");
    }

    /// <summary>Opens a cell at its place with the given attributes, ready for its value.</summary>
    private void StartCell(int column, string row, string attributes)
    {
        _sheet.Write("<c r=\"");
        _sheet.Write(_columnNames[column]);
        _sheet.Write(row);
        _sheet.Write('"');
        _sheet.Write(attributes);
        _sheet.Write('>');
    }

    /// <summary>Text as element content: the three characters markup gives meaning to, escaped.</summary>
    private void WriteEscaped(string text)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var entity = text[i] switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                _ => null,
            };
            if (entity is null)
            {
                continue;
            }

            _sheet.Write(text.AsSpan(start, i - start));
            _sheet.Write(entity);
            start = i + 1;
        }

        _sheet.Write(text.AsSpan(start));
    }

    /// <summary>
    /// A date or time as a spreadsheet date (days since 1899-12-30, the fraction the time of day) in the style that
    /// shows it as yyyy-mm-dd (hh:mm:ss), so it sorts, filters and calculates as a date. Times are UTC, as in the
    /// other formats.
    /// </summary>
    private void WriteDate(int column, string row, DateTime value, string style)
    {
        StartCell(column, row, style);
        _sheet.Write("<v>");
        _sheet.Write((value - SpreadsheetEpoch).TotalDays.ToString("0.##########", CultureInfo.InvariantCulture));
        _sheet.Write("</v></c>");
    }

    /// <summary>A spreadsheet column's letters: 0 → A, 25 → Z, 26 → AA.</summary>
    private static string ColumnName(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + ((n - 1) % 26)) + name;
        }

        return name;
    }

    /// <summary>XML 1.0 cannot carry most control characters; they are replaced rather than failing mid-download.</summary>
    private static string XmlSafe(string text)
    {
        if (text.Length > MaxCellLength)
        {
            text = text[..MaxCellLength];
        }

        foreach (var c in text)
        {
            if (!XmlConvert.IsXmlChar(c) && !char.IsSurrogate(c))
            {
                return string.Create(text.Length, text, (span, source) =>
                {
                    for (var i = 0; i < source.Length; i++)
                    {
                        span[i] = XmlConvert.IsXmlChar(source[i]) || char.IsSurrogate(source[i]) ? source[i] : '\uFFFD';
                    }
                });
            }
        }

        return text;
    }

    public override void Flush()
    {
        _sheet.Flush();
        _sheetStream.Flush();
    }

    public override void Finish()
    {
        _sheet.Write("</sheetData></worksheet>");
        Close();
    }

    /// <summary>The sheet, its entry and the zip's central directory, in that order, once.</summary>
    private void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        _sheet.Dispose();
        _sheetStream.Dispose();
        _zip.Dispose();
    }

    private void Part(string name, string xml)
    {
        using var stream = _zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        var bytes = Encoding.UTF8.GetBytes(xml);
        stream.Write(bytes);
    }

    public override void Dispose()
    {
        Close();
        base.Dispose();
    }
}

/// <summary>
/// Collects what a writer produces synchronously (the zip and XML writers cannot write asynchronously, and the
/// response body refuses synchronous writes) until <see cref="DrainToAsync"/> sends it on. Not seekable, so a
/// zip written into it streams.
/// </summary>
public sealed class SpoolStream : Stream
{
    private readonly MemoryStream _buffer = new();

    public long Written { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _buffer.Write(buffer);
        Written += buffer.Length;
    }

    public override void WriteByte(byte value) => Write([value]);

    public async Task DrainToAsync(Stream destination, CancellationToken cancellationToken)
    {
        if (_buffer.Length == 0)
        {
            return;
        }

        await destination.WriteAsync(_buffer.GetBuffer().AsMemory(0, (int)_buffer.Length), cancellationToken);
        _buffer.SetLength(0);
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _buffer.Dispose();
        }

        base.Dispose(disposing);
    }
}
