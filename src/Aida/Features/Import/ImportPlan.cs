namespace Aida.Features.Import;

/// <summary>A problem of one row, named by row (as the spreadsheet numbers it), column (the header) and field.</summary>
public sealed record RowProblem(long Row, string? Column, string? Field, string Message);

/// <summary>An import's mapping turned into what reading a row needs: the field of each column, and the column of each field.</summary>
public sealed class ImportPlan
{
    private readonly int[] _fieldOfColumn;
    private readonly string?[] _columnOfField;

    private ImportPlan(IReadOnlyList<string> headers, IReadOnlyDictionary<string, string?> mapping)
    {
        Headers = headers;
        Mapping = mapping;
        _fieldOfColumn = new int[headers.Count];
        _columnOfField = new string?[CustomerFields.All.Count];
        for (var i = 0; i < headers.Count; i++)
        {
            _fieldOfColumn[i] = mapping.GetValueOrDefault(headers[i]) is { } field && CustomerFields.Index.TryGetValue(field, out var f) ? f : -1;
            if (_fieldOfColumn[i] >= 0)
            {
                _columnOfField[_fieldOfColumn[i]] = headers[i];
            }
        }
    }

    public IReadOnlyList<string> Headers { get; }

    public IReadOnlyDictionary<string, string?> Mapping { get; }

    public bool MapsParent => ColumnOf("parentName") is not null || ColumnOf("parentExternalId") is not null;

    public static ImportPlan Of(Import import) =>
        new(JsonSerializer.Deserialize<List<string>>(import.Headers)!, ParseMapping(import.Mapping));

    public static Dictionary<string, string?> ParseMapping(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string?>>(json) ?? [];

    public string? ColumnOf(string field) => CustomerFields.Index.TryGetValue(field, out var i) ? _columnOfField[i] : null;

    /// <summary>The row's values by field: trimmed, empty cells as null.</summary>
    public string?[] Values(string[] cells)
    {
        var values = new string?[CustomerFields.All.Count];
        for (var i = 0; i < _fieldOfColumn.Length && i < cells.Length; i++)
        {
            if (_fieldOfColumn[i] >= 0 && cells[i].AsSpan().Trim().Length > 0)
            {
                values[_fieldOfColumn[i]] = cells[i].Trim();
            }
        }

        return values;
    }

    public IEnumerable<RowProblem> Problems(long row, ValidationErrors errors) =>
        errors.ToDictionary().SelectMany(e => e.Value.Select(message => new RowProblem(row, ColumnOf(e.Key), e.Key, message)));

    /// <summary>
    /// Checks a mapping against the file's header: every column named exists, every field is known and used
    /// once, and a row can have a name (the name column, or the contact's first and last name).
    /// </summary>
    public static ValidationErrors Check(IReadOnlyList<string> headers, IReadOnlyDictionary<string, string?>? mapping)
    {
        var errors = new ValidationErrors();
        if (mapping is null)
        {
            errors.Add("mapping", "Is required: an object from column name to field name.");
            return errors;
        }

        var known = headers.ToHashSet(StringComparer.Ordinal);
        var used = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (column, field) in mapping)
        {
            if (!known.Contains(column))
            {
                errors.Add($"mapping.{column}", "The file has no column of this name.");
            }
            else if (field is null or "")
            {
                continue;
            }
            else if (!CustomerFields.Index.ContainsKey(field))
            {
                errors.Add($"mapping.{column}", $"'{field}' is not a field; choose one of: {string.Join(", ", CustomerFields.All.Select(f => f.Name))}.");
            }
            else if (!used.TryAdd(field, column))
            {
                errors.Add($"mapping.{column}", $"The field '{field}' is already mapped from the column '{used[field]}'; map each field from one column.");
            }
        }

        if (!errors.Any && !used.ContainsKey("displayName") && !(used.ContainsKey("contact.firstName") && used.ContainsKey("contact.lastName")))
        {
            errors.Add("mapping", "Map a column to displayName (the customer's name), or columns to contact.firstName and contact.lastName.");
        }

        return errors;
    }
}
