namespace Aida.Features.Import;

/// <summary>A problem of one row, named by row (as the spreadsheet numbers it), column (the header) and field.</summary>
public sealed record RowProblem(long Row, string? Column, string? Field, string Message);

/// <summary>An import's mapping turned into what reading a row needs: the field of each column, and the column of each field.</summary>
public sealed class ImportPlan
{
    private readonly int[] _fieldOfColumn;
    private readonly string?[] _columnOfField;

    private readonly IReadOnlyDictionary<string, int> _index;

    private ImportPlan(IReadOnlyList<string> headers, IReadOnlyDictionary<string, string?> mapping, string entityType)
    {
        Headers = headers;
        Mapping = mapping;
        var fields = ImportTargets.FieldsOf(entityType);
        _index = entityType == ImportEntities.Customers ? CustomerFields.Index : fields.Select((f, i) => (f.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        _fieldOfColumn = new int[headers.Count];
        _columnOfField = new string?[fields.Count];
        for (var i = 0; i < headers.Count; i++)
        {
            _fieldOfColumn[i] = mapping.GetValueOrDefault(headers[i]) is { } field && _index.TryGetValue(field, out var f) ? f : -1;
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
        new(JsonSerializer.Deserialize<List<string>>(import.Headers)!, ParseMapping(import.Mapping), import.EntityType);

    /// <summary>The index of a field in <see cref="Values"/>' answer.</summary>
    public int IndexOf(string field) => _index[field];

    public static Dictionary<string, string?> ParseMapping(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string?>>(json) ?? [];

    public string? ColumnOf(string field) => _index.TryGetValue(field, out var i) ? _columnOfField[i] : null;

    /// <summary>The row's values by field: trimmed, empty cells as null.</summary>
    public string?[] Values(string[] cells)
    {
        var values = new string?[_columnOfField.Length];
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
    public static ValidationErrors Check(IReadOnlyList<string> headers, IReadOnlyDictionary<string, string?>? mapping, string entityType = ImportEntities.Customers)
    {
        var fields = ImportTargets.FieldsOf(entityType);
        var names = fields.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
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
            else if (!names.Contains(field))
            {
                errors.Add($"mapping.{column}", $"'{field}' is not a field; choose one of: {string.Join(", ", fields.Select(f => f.Name))}.");
            }
            else if (!used.TryAdd(field, column))
            {
                errors.Add($"mapping.{column}", $"The field '{field}' is already mapped from the column '{used[field]}'; map each field from one column.");
            }
        }

        if (!errors.Any && ImportTargets.Of(entityType) is { } target)
        {
            target.CheckMapping(used.Keys.ToHashSet(StringComparer.Ordinal), errors);
        }
        else if (!errors.Any && !used.ContainsKey("displayName") && !(used.ContainsKey("contact.firstName") && used.ContainsKey("contact.lastName")))
        {
            errors.Add("mapping", "Map a column to displayName (the customer's name), or columns to contact.firstName and contact.lastName.");
        }

        return errors;
    }
}
