using System.Text.Json.Nodes;

namespace Aida.Features.Segments.Pages;

/// <summary>One condition row of the SegmentBuilder form.</summary>
public sealed record ConditionRow(string Field, string Operator, string Value, bool Negate);

/// <summary>
/// The SegmentBuilder's form: name, type, "match all / any", condition rows (field, operator, value, "not"), or
/// criteria JSON for nesting the rows cannot express. Turned into the same criteria document the API takes, so
/// the same validation names what is wrong.
/// </summary>
public sealed record SegmentBuilderForm(
    Guid? Id,
    int? Version,
    string Name,
    string Description,
    string Type,
    string Match,
    IReadOnlyList<ConditionRow> Rows,
    string CriteriaJson,
    string ExclusionGroup,
    string Priority)
{
    public const int MaxRows = 20;

    public static SegmentBuilderForm Empty() => new(null, null, "", "", "dynamic", "all", [new ConditionRow("", "", "", false)], "", "", "0");

    public static SegmentBuilderForm From(IFormCollection form, int extraRows = 0)
    {
        var count = int.TryParse(form["rows"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? Math.Clamp(n, 0, MaxRows) : 1;
        var rows = new List<ConditionRow>();
        for (var i = 0; i < count; i++)
        {
            if (form[$"remove_{i}"] == "true")
            {
                continue;
            }

            rows.Add(new ConditionRow(form[$"field_{i}"].ToString(), form[$"operator_{i}"].ToString(), form[$"value_{i}"].ToString(), form[$"not_{i}"] == "true"));
        }

        for (var i = 0; i < extraRows && rows.Count < MaxRows; i++)
        {
            rows.Add(new ConditionRow("", "", "", false));
        }

        return new(
            Guid.TryParse(form["id"], out var id) ? id : null,
            int.TryParse(form["version"], NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : null,
            form["name"].ToString(), form["description"].ToString(), form["type"].ToString() is "static" ? "static" : "dynamic",
            form["match"].ToString() is "any" ? "any" : "all", rows, form["criteriaJson"].ToString(), form["exclusionGroup"].ToString(), form["priority"].ToString());
    }

    public static SegmentBuilderForm From(Segment segment)
    {
        var rows = new List<ConditionRow>();
        var match = "all";
        var json = "";
        if (segment.Criteria is not null)
        {
            var node = JsonNode.Parse(segment.Criteria)!.AsObject();
            var flat = node.Count == 1 && (node["all"] ?? node["any"]) is JsonArray list && list.All(IsRow);
            if (flat)
            {
                match = node["all"] is null ? "any" : "all";
                rows.AddRange(((JsonArray)(node["all"] ?? node["any"])!).Select(ToRow));
            }
            else
            {
                json = segment.Criteria;
            }
        }

        if (rows.Count == 0 && json.Length == 0)
        {
            rows.Add(new ConditionRow("", "", "", false));
        }

        return new(segment.Id, segment.Version, segment.Name, segment.Description ?? "", EnumText<SegmentType>.ToText(segment.Type), match, rows, json,
            segment.ExclusionGroup ?? "", segment.Priority.ToString(CultureInfo.InvariantCulture));
    }

    private static bool IsRow(JsonNode? node) =>
        node is JsonObject o && (o["field"] is not null || (o["not"] is JsonObject inner && inner["field"] is not null));

    private static ConditionRow ToRow(JsonNode? node)
    {
        var negate = node!["not"] is not null;
        var condition = negate ? node["not"]! : node;
        var value = condition["value"] switch
        {
            JsonArray array => string.Join(", ", array.Select(v => v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : v?.ToJsonString())),
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            { } other => other.ToJsonString(),
            null => "",
        };
        return new ConditionRow(condition["field"]?.GetValue<string>() ?? "", condition["operator"]?.GetValue<string>() ?? "", value, negate);
    }

    /// <summary>The criteria document, or null for a static segment (or when nothing was entered).</summary>
    public JsonElement? Criteria(ValidationErrors errors)
    {
        if (Type == "static")
        {
            return null;
        }

        if (!string.IsNullOrWhiteSpace(CriteriaJson))
        {
            try
            {
                using var document = JsonDocument.Parse(CriteriaJson);
                return document.RootElement.Clone();
            }
            catch (JsonException)
            {
                errors.Add("criteria", "The criteria JSON is not valid JSON.");
                return null;
            }
        }

        var conditions = new JsonArray();
        foreach (var row in Rows.Where(r => r.Field.Length > 0))
        {
            var field = SegmentFields.Find(row.Field);
            JsonNode condition = new JsonObject { ["field"] = row.Field, ["operator"] = row.Operator, ["value"] = Value(field, row) };
            conditions.Add(row.Negate ? new JsonObject { ["not"] = condition } : condition);
        }

        if (conditions.Count == 0)
        {
            errors.Add("criteria", "Add at least one condition.");
            return null;
        }

        return JsonSerializer.SerializeToElement(new JsonObject { [Match] = conditions });
    }

    private static JsonNode? Value(SegmentField? field, ConditionRow row)
    {
        var text = row.Value.Trim();
        if (row.Operator == "exists")
        {
            return JsonValue.Create(text is not ("false" or "no"));
        }

        if (row.Operator == "in")
        {
            return new JsonArray(text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => Scalar(field, v)).ToArray());
        }

        return Scalar(field, text);
    }

    private static JsonNode? Scalar(SegmentField? field, string text) =>
        field?.Type is FieldType.Number or FieldType.Money && decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var number)
            ? JsonValue.Create(number)
            : JsonValue.Create(text);

    /// <summary>Errors keyed by the API's paths, as the builder shows them: "Condition 2: …".</summary>
    public IReadOnlyList<string> Describe(IReadOnlyDictionary<string, string[]> errors) => errors.SelectMany(e =>
    {
        var match = System.Text.RegularExpressions.Regex.Match(e.Key, @"^criteria\.(all|any)\[(\d+)\](?:\.not)?\.?(\w*)");
        var where = match.Success && CriteriaJson.Length == 0
            ? $"Condition {int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) + 1}{(match.Groups[3].Value.Length > 0 ? " (" + match.Groups[3].Value + ")" : "")}"
            : e.Key.Length == 0 ? "" : e.Key;
        return e.Value.Select(m => where.Length == 0 ? m : $"{where}: {m}");
    }).ToList();
}
