using System.Text.RegularExpressions;

namespace Aida.Features.Segments;

/// <summary>A criteria value as written: a fixed value, or a date relative to the moment of evaluation.</summary>
public abstract record CriteriaValue
{
    public sealed record Fixed(object Value) : CriteriaValue;

    /// <summary><c>now-90d</c>: <see cref="Amount"/> (signed) of <see cref="Unit"/> (d, w, m, y) from now.</summary>
    public sealed record Relative(int Amount, char Unit) : CriteriaValue
    {
        public DateTime From(DateTime now) => Unit switch
        {
            'd' => now.AddDays(Amount),
            'w' => now.AddDays(7 * Amount),
            'm' => now.AddMonths(Amount),
            _ => now.AddYears(Amount),
        };
    }
}

public abstract record CriteriaNode
{
    public sealed record All(IReadOnlyList<CriteriaNode> Children) : CriteriaNode;

    public sealed record Any(IReadOnlyList<CriteriaNode> Children) : CriteriaNode;

    public sealed record Not(CriteriaNode Child) : CriteriaNode;

    public sealed record Condition(SegmentField Field, SegmentOperator Operator, IReadOnlyList<CriteriaValue> Values) : CriteriaNode;

    public IEnumerable<Condition> Conditions() => this switch
    {
        All all => all.Children.SelectMany(c => c.Conditions()),
        Any any => any.Children.SelectMany(c => c.Conditions()),
        Not not => not.Child.Conditions(),
        Condition condition => [condition],
        _ => [],
    };

    /// <summary>Time alone changes who matches: such a segment is evaluated in full by every scheduled run.</summary>
    public bool UsesRelativeDates => Conditions().Any(c => c.Values.Any(v => v is CriteriaValue.Relative));

    public IReadOnlyList<Guid> ReferencedSegments => Conditions()
        .Where(c => c.Field.Type == FieldType.Segment)
        .SelectMany(c => c.Values.Select(v => (Guid)((CriteriaValue.Fixed)v).Value))
        .Distinct().ToList();
}

/// <summary>
/// The criteria language (README, "Segment criteria"): <c>{"all":[…]}</c>, <c>{"any":[…]}</c>, <c>{"not":{…}}</c>
/// and conditions <c>{"field","operator","value"}</c> over <see cref="SegmentFields"/>. Parsing checks every
/// operator against its field's type and every value against both, and names the JSON path of what is wrong
/// (<c>criteria.all[1].operator</c>).
/// </summary>
public static partial class SegmentCriteria
{
    public const int MaxDepth = 6;
    public const int MaxConditions = 50;
    public const int MaxValues = 500;
    public const int MaxTextLength = 200;

    /// <summary>The criteria, or null with the reasons in <paramref name="errors"/>.</summary>
    public static CriteriaNode? Parse(JsonElement criteria, ValidationErrors errors, string path = "criteria")
    {
        var before = errors.Count;
        var conditions = 0;
        var node = ParseNode(criteria, path, 1, errors, ref conditions);
        return errors.Count > before ? null : node;
    }

    /// <summary>The criteria stored with a segment (already validated when saved).</summary>
    public static CriteriaNode ParseStored(string json)
    {
        var errors = new ValidationErrors();
        using var document = JsonDocument.Parse(json);
        return Parse(document.RootElement, errors)
            ?? throw new InvalidOperationException("A stored segment's criteria no longer parse: " + string.Join("; ", errors.ToDictionary().Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
    }

    private static CriteriaNode? ParseNode(JsonElement element, string path, int depth, ValidationErrors errors, ref int conditions)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path, "Must be an object: {\"all\": […]}, {\"any\": […]}, {\"not\": {…}} or {\"field\", \"operator\", \"value\"}.");
            return null;
        }

        if (depth > MaxDepth)
        {
            errors.Add(path, $"Is nested too deeply: at most {MaxDepth} levels.");
            return null;
        }

        var names = element.EnumerateObject().Select(p => p.Name).ToList();
        if (names.Contains("all") || names.Contains("any"))
        {
            var key = names.Contains("all") ? "all" : "any";
            if (names.Count != 1)
            {
                errors.Add(path, $"A group has only \"{key}\"; put conditions inside it.");
                return null;
            }

            var list = element.GetProperty(key);
            if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
            {
                errors.Add($"{path}.{key}", "Must be a non-empty array of conditions or groups.");
                return null;
            }

            var children = new List<CriteriaNode>();
            var index = 0;
            foreach (var child in list.EnumerateArray())
            {
                if (ParseNode(child, $"{path}.{key}[{index++}]", depth + 1, errors, ref conditions) is { } parsed)
                {
                    children.Add(parsed);
                }
            }

            return key == "all" ? new CriteriaNode.All(children) : new CriteriaNode.Any(children);
        }

        if (names.Contains("not"))
        {
            if (names.Count != 1)
            {
                errors.Add(path, "\"not\" stands alone: {\"not\": {…}}.");
                return null;
            }

            var child = ParseNode(element.GetProperty("not"), $"{path}.not", depth + 1, errors, ref conditions);
            return child is null ? null : new CriteriaNode.Not(child);
        }

        if (++conditions > MaxConditions)
        {
            errors.Add(path, $"Too many conditions: at most {MaxConditions}.");
            return null;
        }

        return ParseCondition(element, path, names, errors);
    }

    private static CriteriaNode.Condition? ParseCondition(JsonElement element, string path, List<string> names, ValidationErrors errors)
    {
        var unknown = names.Where(n => n is not ("field" or "operator" or "value")).ToList();
        if (unknown.Count > 0)
        {
            errors.Add($"{path}.{unknown[0]}", "Is not part of a condition: use field, operator and value, or a group (all, any, not).");
            return null;
        }

        if (!element.TryGetProperty("field", out var fieldElement) || fieldElement.ValueKind != JsonValueKind.String)
        {
            errors.Add($"{path}.field", "Is required: the field to test, e.g. \"customer.status\".");
            return null;
        }

        var field = SegmentFields.Find(fieldElement.GetString()!);
        if (field is null)
        {
            errors.Add($"{path}.field", $"Unknown field \"{Shorten(fieldElement.GetString()!)}\". Fields: {string.Join(", ", SegmentFields.All.Select(f => f.Key))}.");
            return null;
        }

        if (!element.TryGetProperty("operator", out var opElement) || opElement.ValueKind != JsonValueKind.String)
        {
            errors.Add($"{path}.operator", $"Is required, one of: {string.Join(", ", Enum.GetValues<SegmentOperator>().Select(SegmentFields.Name))}.");
            return null;
        }

        if (!TryOperator(opElement.GetString(), out var op))
        {
            errors.Add($"{path}.operator", $"Unknown operator \"{Shorten(opElement.GetString()!)}\"; one of: {string.Join(", ", Enum.GetValues<SegmentOperator>().Select(SegmentFields.Name))}.");
            return null;
        }

        if (!field.Operators.Contains(op))
        {
            errors.Add($"{path}.operator", $"\"{SegmentFields.Name(op)}\" does not apply to {field.Key}; use {string.Join(", ", field.Operators.Select(SegmentFields.Name))}.");
            return null;
        }

        var valuePath = $"{path}.value";
        if (!element.TryGetProperty("value", out var value))
        {
            errors.Add(valuePath, op == SegmentOperator.Exists ? "Is required: true or false." : "Is required.");
            return null;
        }

        if (op == SegmentOperator.Exists)
        {
            if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                errors.Add(valuePath, "Must be true (has a value) or false (has none).");
                return null;
            }

            return new CriteriaNode.Condition(field, op, [new CriteriaValue.Fixed(value.GetBoolean())]);
        }

        if (op == SegmentOperator.In)
        {
            if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0 || value.GetArrayLength() > MaxValues)
            {
                errors.Add(valuePath, $"Must be an array of 1 to {MaxValues} values.");
                return null;
            }

            var values = new List<CriteriaValue>();
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                if (ParseValue(field, op, item, $"{valuePath}[{index++}]", errors) is { } parsed)
                {
                    values.Add(parsed);
                }
            }

            return values.Count == index ? new CriteriaNode.Condition(field, op, values) : null;
        }

        var single = ParseValue(field, op, value, valuePath, errors);
        return single is null ? null : new CriteriaNode.Condition(field, op, [single]);
    }

    private static bool TryOperator(string? text, out SegmentOperator op)
    {
        op = default;
        return text is not null && text.All(char.IsAsciiLetterLower) && Enum.TryParse(text, ignoreCase: true, out op);
    }

    private static CriteriaValue? ParseValue(SegmentField field, SegmentOperator op, JsonElement value, string path, ValidationErrors errors)
    {
        switch (field.Type)
        {
            case FieldType.Text:
                if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()) || value.GetString()!.Length > MaxTextLength)
                {
                    errors.Add(path, $"Must be text of 1 to {MaxTextLength} characters.");
                    return null;
                }

                return new CriteriaValue.Fixed(value.GetString()!.Trim());
            case FieldType.Choice or FieldType.OrderedChoice:
                var choice = value.ValueKind == JsonValueKind.String
                    ? field.Choices!.FirstOrDefault(c => string.Equals(c, value.GetString(), StringComparison.OrdinalIgnoreCase))
                    : null;
                if (choice is null)
                {
                    errors.Add(path, $"Must be one of: {string.Join(", ", field.Choices!)}.");
                    return null;
                }

                return new CriteriaValue.Fixed(choice);
            case FieldType.Number:
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
                {
                    errors.Add(path, "Must be a whole number.");
                    return null;
                }

                return new CriteriaValue.Fixed(number);
            case FieldType.Money:
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var amount) || Math.Abs(amount) >= 1_000_000_000_000_000m)
                {
                    errors.Add(path, "Must be an amount, e.g. 1000 or 99.50.");
                    return null;
                }

                return new CriteriaValue.Fixed(amount);
            case FieldType.Timestamp or FieldType.Day:
                return ParseDate(field, value, path, errors);
            case FieldType.Id or FieldType.Segment:
                if (value.ValueKind != JsonValueKind.String || !Guid.TryParse(value.GetString(), out var id))
                {
                    errors.Add(path, field.Type == FieldType.Segment ? "Must be a segment's id." : "Must be an id.");
                    return null;
                }

                return new CriteriaValue.Fixed(id);
            default:
                errors.Add(path, "Is not a value this field takes.");
                return null;
        }
    }

    private static CriteriaValue? ParseDate(SegmentField field, JsonElement value, string path, ValidationErrors errors)
    {
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : "";
        if (text == "now")
        {
            return new CriteriaValue.Relative(0, 'd');
        }

        var relative = RelativeDate().Match(text);
        if (relative.Success && int.TryParse(relative.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var amount) && amount <= 3650)
        {
            return new CriteriaValue.Relative(relative.Groups["sign"].Value == "-" ? -amount : amount, relative.Groups["unit"].Value[0]);
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) && day.Year is >= 1900 and <= 2200)
        {
            return new CriteriaValue.Fixed(field.Type == FieldType.Day ? day : day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
        }

        if (field.Type == FieldType.Timestamp
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var moment) && text.Contains('T', StringComparison.Ordinal)
            && moment.Year is >= 1900 and <= 2200)
        {
            return new CriteriaValue.Fixed(moment.UtcDateTime);
        }

        errors.Add(path, "Must be an ISO date (2026-01-31)" + (field.Type == FieldType.Timestamp ? ", date-time (2026-01-31T09:00:00Z)" : "")
            + " or relative to now: now-90d, now+7d (units d, w, m, y).");
        return null;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";

    [GeneratedRegex(@"^now(?<sign>[+-])(?<n>\d{1,4})(?<unit>[dwmy])$")]
    private static partial Regex RelativeDate();
}

/// <summary>
/// Criteria compiled to one SQL condition over a customer row aliased <c>c</c>, with every value a parameter
/// (placeholders <c>{0}</c>, <c>{1}</c>, … as EF's raw-SQL methods take them; values converted by the
/// dialect). Every condition is two-valued (never NULL), so <c>not</c> means "does not match".
/// </summary>
public sealed class CriteriaSql(DatabaseDialect dialect, DateTime now)
{
    public List<object> Arguments { get; } = [];

    public string Parameter(object value)
    {
        Arguments.Add(dialect.SqlValue(value));
        return "{" + (Arguments.Count - 1).ToString(CultureInfo.InvariantCulture) + "}";
    }

    /// <summary>The condition for <paramref name="node"/>.</summary>
    public string Compile(CriteriaNode node) => node switch
    {
        CriteriaNode.All all => "(" + string.Join(" AND ", all.Children.Select(Compile)) + ")",
        CriteriaNode.Any any => "(" + string.Join(" OR ", any.Children.Select(Compile)) + ")",
        CriteriaNode.Not not => "(NOT " + Compile(not.Child) + ")",
        CriteriaNode.Condition condition => Condition(condition),
        _ => throw new InvalidOperationException("Unknown criteria node."),
    };

    /// <summary>
    /// As <see cref="Compile(CriteriaNode)"/>, with <paramref name="driving"/> (one of <see cref="DrivingCandidates"/>)
    /// kept as the <c>IN</c> list the database starts from and every other candidate written as a probe
    /// (<see cref="FieldSource"/> explains why). Probes on other tables go inside that list, against its rows'
    /// customer column: a row failing them is dropped before its customer row is read, which on a million
    /// customers is most of the work (a customer lookup by id costs two index searches, a probe one).
    /// </summary>
    /// <param name="limit">At most this many rows of the list: for a sample, which needs a few members, not all.</param>
    public string Compile(CriteriaNode node, CriteriaNode.Condition driving, int? limit = null)
    {
        var all = (CriteriaNode.All)node;
        var candidates = DrivingCandidates(node);
        var source = driving.Field.Source;
        var nested = candidates.Where(c => c != driving && c.Field.Source.Alias != source.Alias).ToList();
        var form = limit is { } rows ? source.ExistsLimited!.Replace("@limit", Parameter(rows), StringComparison.Ordinal) : source.Exists!;
        var list = form.Replace("@@",
            Predicate(driving) + string.Concat(nested.Select(p => " AND " + Probe(p, source.CustomerColumn!))), StringComparison.Ordinal);
        return "(" + string.Join(" AND ", all.Children
            .Where(child => !(child is CriteriaNode.Condition condition && nested.Contains(condition)))
            .Select(child => child switch
            {
                CriteriaNode.Condition condition when condition == driving => list,
                CriteriaNode.Condition condition when candidates.Contains(condition) => Probe(condition, "c.id"),
                _ => Compile(child),
            })) + ")";
    }

    private string Probe(CriteriaNode.Condition condition, string customer) =>
        condition.Field.Source.Probe!.Replace("@customer", customer, StringComparison.Ordinal).Replace("@@", Predicate(condition), StringComparison.Ordinal);

    /// <summary>
    /// The conditions of a top-level <c>all</c> the database could start from: positive conditions on rows that
    /// hang off the customer. None when there are fewer than two (nothing to choose).
    /// </summary>
    public static IReadOnlyList<CriteriaNode.Condition> DrivingCandidates(CriteriaNode node)
    {
        if (node is not CriteriaNode.All all)
        {
            return [];
        }

        var candidates = all.Children.OfType<CriteriaNode.Condition>()
            .Where(c => c.Field.Source.Probe is not null && c.Field.Type != FieldType.Segment && c.Operator != SegmentOperator.Ne
                && !(c.Operator == SegmentOperator.Exists && c.Values is [CriteriaValue.Fixed { Value: false }]))
            .ToList();
        return candidates.Count >= 2 ? candidates : [];
    }

    /// <summary>How many of the candidate's rows match, counted up to <paramref name="cap"/> (<see cref="FieldSource.Estimate"/>).</summary>
    public string Estimate(CriteriaNode.Condition candidate, int cap) =>
        candidate.Field.Source.Estimate!.Replace("@@", Predicate(candidate), StringComparison.Ordinal)
            .Replace("@cap", Parameter(cap), StringComparison.Ordinal);

    /// <summary>A positive condition's predicate on its source's row.</summary>
    private string Predicate(CriteriaNode.Condition condition) =>
        condition.Operator == SegmentOperator.Exists ? $"{condition.Field.Column} IS NOT NULL" : Compare(condition.Field, condition.Operator, condition.Values);

    private string Condition(CriteriaNode.Condition condition)
    {
        var field = condition.Field;
        if (field.Type == FieldType.Segment)
        {
            var ids = string.Join(", ", condition.Values.Select(v => Parameter(Value(v))));
            var member = $"EXISTS (SELECT 1 FROM segment_members m WHERE m.customer_id = c.id AND m.segment_id IN ({ids}))";
            return condition.Operator == SegmentOperator.Ne ? $"(NOT {member})" : member;
        }

        var column = field.Column;
        return condition.Operator switch
        {
            SegmentOperator.Exists when (bool)Value(condition.Values[0]) => Within(field, $"{column} IS NOT NULL"),
            SegmentOperator.Exists => $"(NOT {Within(field, $"{column} IS NOT NULL")})",
            SegmentOperator.Ne => $"(NOT {Within(field, Compare(field, SegmentOperator.Eq, condition.Values))})",
            _ => Within(field, Compare(field, condition.Operator, condition.Values)),
        };
    }

    private static string Within(SegmentField field, string predicate) =>
        field.Source.Exists is { } form ? form.Replace("@@", predicate, StringComparison.Ordinal) : $"({predicate})";

    private string Compare(SegmentField field, SegmentOperator op, IReadOnlyList<CriteriaValue> values)
    {
        var column = field.Column;
        // A customer's own column is tested bare, so a NULL must read as "no match" for NOT to stay two-valued. A
        // row source's predicate sits inside IN/EXISTS, where NULL already means "no such row", and leaving the
        // column out lets an expression index (lower(country)) answer without reading the row.
        var present = field.Source.Exists is null ? $"{column} IS NOT NULL AND " : "";
        if (field.Key == SegmentFields.EmailDomainKey)
        {
            // A domain is what follows the @: matched as the end of the address, so "acme.com" is not "notacme.com".
            var patterns = values.Select(v => op == SegmentOperator.Contains
                ? $"lower({column}) LIKE {Parameter("%@%" + Like(((string)Value(v)).ToLowerInvariant()) + "%")} ESCAPE '\\'"
                : $"lower({column}) LIKE {Parameter("%@" + Like(((string)Value(v)).TrimStart('@').ToLowerInvariant()))} ESCAPE '\\'");
            return present + "(" + string.Join(" OR ", patterns) + ")";
        }

        switch (field.Type)
        {
            case FieldType.Text:
                var lowered = $"lower({column})";
                return op switch
                {
                    SegmentOperator.Contains => present + $"{lowered} LIKE {Parameter("%" + Like(((string)Value(values[0])).ToLowerInvariant()) + "%")} ESCAPE '\\'",
                    SegmentOperator.In => present + $"{lowered} IN ({string.Join(", ", values.Select(v => Parameter(((string)Value(v)).ToLowerInvariant())))})",
                    _ => present + $"{lowered} = {Parameter(((string)Value(values[0])).ToLowerInvariant())}",
                };
            case FieldType.OrderedChoice when op is not (SegmentOperator.Eq or SegmentOperator.In):
                var rank = "CASE " + column + string.Concat(field.Choices!.Select((c, i) => $" WHEN {Parameter(c)} THEN {i.ToString(CultureInfo.InvariantCulture)}")) + " END";
                var threshold = field.Choices!.ToList().IndexOf((string)Value(values[0]));
                return present + $"{rank} {Symbol(op)} {threshold.ToString(CultureInfo.InvariantCulture)}";
            case FieldType.Money:
                var number = dialect.DecimalNumber(column);
                return op == SegmentOperator.In
                    ? present + $"{number} IN ({string.Join(", ", values.Select(v => Parameter(Value(v))))})"
                    : present + $"{number} {Symbol(op)} {Parameter(Value(values[0]))}";
            default:
                return op == SegmentOperator.In
                    ? present + $"{column} IN ({string.Join(", ", values.Select(v => Parameter(Value(v))))})"
                    : present + $"{column} {Symbol(op)} {Parameter(Value(values[0], field.Type))}";
        }
    }

    private object Value(CriteriaValue value, FieldType type = FieldType.Text) => value switch
    {
        CriteriaValue.Fixed f => f.Value,
        CriteriaValue.Relative r when type == FieldType.Day => DateOnly.FromDateTime(r.From(now)),
        CriteriaValue.Relative r => r.From(now),
        _ => throw new InvalidOperationException("Unknown criteria value."),
    };

    private static string Symbol(SegmentOperator op) => op switch
    {
        SegmentOperator.Eq => "=",
        SegmentOperator.Gt => ">",
        SegmentOperator.Gte => ">=",
        SegmentOperator.Lt => "<",
        SegmentOperator.Lte => "<=",
        _ => throw new InvalidOperationException($"No comparison for {op}."),
    };

    /// <summary>Escapes LIKE's wildcards in a value, so "50%" means the text "50%".</summary>
    private static string Like(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
