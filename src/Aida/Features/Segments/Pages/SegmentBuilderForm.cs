using System.Text.Json.Nodes;

namespace Aida.Features.Segments.Pages;

/// <summary>One condition row of the SegmentBuilder form; <see cref="Group"/> 0 is the top level, 1… a nested group.</summary>
public sealed record ConditionRow(string Field, string Operator, string Value, bool Negate, int Group = 0);

/// <summary>A nested group of conditions: "all" or "any" of its rows, or (negated) customers matching none of that.</summary>
public sealed record ConditionGroup(string Match, bool Negate);

/// <summary>
/// The SegmentBuilder's form: name, type, "match all / any" of the top-level condition rows (field, operator,
/// value, "not") and of nested groups, each with its own all / any and "not" — "status is active and (country is
/// DE or industry is Software)", "not (churned and no purchase)". Criteria JSON remains for deeper nesting.
/// Turned into the same criteria document the API takes, so the same validation names what is wrong.
/// </summary>
public sealed record SegmentBuilderForm(
    Guid? Id,
    int? Version,
    string Name,
    string Description,
    string Type,
    string Match,
    IReadOnlyList<ConditionRow> Rows,
    IReadOnlyList<ConditionGroup> Groups,
    string CriteriaJson,
    string ExclusionGroup,
    string Priority)
{
    public const int MaxRows = 20;
    public const int MaxGroups = 5;

    public static SegmentBuilderForm Empty() => new(null, null, "", "", "dynamic", "all", [new ConditionRow("", "", "", false)], [], "", "", "0");

    /// <summary>
    /// The form as posted, with <paramref name="action"/> applied: "add" (a row at the top level), "add:N" (a row in
    /// group N) or "group" (a new group with one row). Ticked rows are removed; a group left without rows goes.
    /// </summary>
    public static SegmentBuilderForm From(IFormCollection form, string action = "")
    {
        var groupCount = int.TryParse(form["groups"], NumberStyles.None, CultureInfo.InvariantCulture, out var g) ? Math.Clamp(g, 0, MaxGroups) : 0;
        var groups = Enumerable.Range(1, groupCount)
            .Select(n => new ConditionGroup(form[$"gmatch_{n}"].ToString() is "any" ? "any" : "all", form[$"gnot_{n}"] == "true")).ToList();
        var count = int.TryParse(form["rows"], NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? Math.Clamp(r, 0, MaxRows) : 1;
        var rows = new List<ConditionRow>();
        for (var i = 0; i < count; i++)
        {
            if (form[$"remove_{i}"] == "true")
            {
                continue;
            }

            var group = int.TryParse(form[$"group_{i}"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= groupCount ? n : 0;
            rows.Add(new ConditionRow(form[$"field_{i}"].ToString(), form[$"operator_{i}"].ToString(), form[$"value_{i}"].ToString(), form[$"not_{i}"] == "true", group));
        }

        if (rows.Count < MaxRows)
        {
            if (action == "add")
            {
                rows.Add(new ConditionRow("", "", "", false));
            }
            else if (action.StartsWith("add:", StringComparison.Ordinal) && int.TryParse(action[4..], NumberStyles.None, CultureInfo.InvariantCulture, out var into)
                && into >= 1 && into <= groupCount)
            {
                rows.Add(new ConditionRow("", "", "", false, into));
            }
            else if (action == "group" && groupCount < MaxGroups)
            {
                groups.Add(new ConditionGroup("any", false));
                rows.Add(new ConditionRow("", "", "", false, groups.Count));
            }
        }

        // Groups whose rows were all removed go; the others are numbered again from 1.
        var kept = Enumerable.Range(1, groups.Count).Where(n => rows.Any(row => row.Group == n)).ToList();
        rows = rows.Select(row => row.Group == 0 ? row : row with { Group = kept.IndexOf(row.Group) + 1 }).ToList();
        return new(
            Guid.TryParse(form["id"], out var id) ? id : null,
            int.TryParse(form["version"], NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : null,
            form["name"].ToString(), form["description"].ToString(), form["type"].ToString() is "static" ? "static" : "dynamic",
            form["match"].ToString() is "any" ? "any" : "all", rows, kept.Select(n => groups[n - 1]).ToList(),
            form["criteriaJson"].ToString(), form["exclusionGroup"].ToString(), form["priority"].ToString());
    }

    public static SegmentBuilderForm From(Segment segment)
    {
        var rows = new List<ConditionRow>();
        var groups = new List<ConditionGroup>();
        var match = "all";
        var json = "";
        if (segment.Criteria is not null)
        {
            var node = JsonNode.Parse(segment.Criteria)!.AsObject();
            if (node.Count == 1 && (node["all"] ?? node["any"]) is JsonArray list && list.All(item => IsRow(item) || AsGroup(item) is not null)
                && list.Count(item => !IsRow(item)) <= MaxGroups)
            {
                match = node["all"] is null ? "any" : "all";
                foreach (var item in list)
                {
                    if (IsRow(item))
                    {
                        rows.Add(ToRow(item));
                        continue;
                    }

                    var (groupMatch, negate, children) = AsGroup(item)!.Value;
                    groups.Add(new ConditionGroup(groupMatch, negate));
                    rows.AddRange(children.Select(child => ToRow(child) with { Group = groups.Count }));
                }
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

        return new(segment.Id, segment.Version, segment.Name, segment.Description ?? "", EnumText<SegmentType>.ToText(segment.Type), match, rows, groups, json,
            segment.ExclusionGroup ?? "", segment.Priority.ToString(CultureInfo.InvariantCulture));
    }

    private static bool IsRow(JsonNode? node) =>
        node is JsonObject o && (o["field"] is not null || (o["not"] is JsonObject inner && inner["field"] is not null));

    /// <summary>A group the form can show: all / any of rows, possibly inside a not.</summary>
    private static (string Match, bool Negate, JsonArray Rows)? AsGroup(JsonNode? node)
    {
        var negate = node is JsonObject { Count: 1 } outer && outer["not"] is JsonObject;
        var group = negate ? node!["not"] : node;
        return group is JsonObject { Count: 1 } o && (o["all"] ?? o["any"]) is JsonArray rows && rows.Count > 0 && rows.All(IsRow)
            ? (o["all"] is null ? "any" : "all", negate, rows)
            : null;
    }

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

        var items = new JsonArray();
        foreach (var item in Items())
        {
            items.Add(item.Group is not { } group
                ? Condition(Rows[item.Rows[0]])
                : Negated(group.Negate, item.Rows.Count == 1
                    ? Condition(Rows[item.Rows[0]])
                    : new JsonObject { [group.Match] = new JsonArray(item.Rows.Select(i => Condition(Rows[i])).ToArray()) }));
        }

        if (items.Count == 0)
        {
            errors.Add("criteria", "Add at least one condition.");
            return null;
        }

        return JsonSerializer.SerializeToElement(new JsonObject { [Match] = items });
    }

    /// <summary>
    /// The top level's items in the order the criteria list them: each filled-in top-level row, then each group
    /// with filled-in rows (as indexes into <see cref="Rows"/>, so a problem can name the row the user sees).
    /// </summary>
    private List<(ConditionGroup? Group, List<int> Rows)> Items()
    {
        var filled = Enumerable.Range(0, Rows.Count).Where(i => Rows[i].Field.Length > 0).ToList();
        var items = filled.Where(i => Rows[i].Group == 0).Select(i => ((ConditionGroup?)null, new List<int> { i })).ToList();
        for (var n = 1; n <= Groups.Count; n++)
        {
            var inGroup = filled.Where(i => Rows[i].Group == n).ToList();
            if (inGroup.Count > 0)
            {
                items.Add((Groups[n - 1], inGroup));
            }
        }

        return items;
    }

    private static JsonNode Condition(ConditionRow row)
    {
        JsonNode condition = new JsonObject { ["field"] = row.Field, ["operator"] = row.Operator, ["value"] = Value(SegmentFields.Find(row.Field), row) };
        return Negated(row.Negate, condition);
    }

    private static JsonNode Negated(bool negate, JsonNode node) => negate ? new JsonObject { ["not"] = node } : node;

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

    /// <summary>Errors keyed by the API's paths, as the builder shows them: "Condition 2: …", numbered as on the form.</summary>
    public IReadOnlyList<string> Describe(IReadOnlyDictionary<string, string[]> errors)
    {
        var items = CriteriaJson.Length == 0 ? Items() : [];
        return errors.SelectMany(e =>
        {
            var match = System.Text.RegularExpressions.Regex.Match(e.Key, @"^criteria\.(?:all|any)\[(\d+)\](?:\.not)?(?:\.(?:all|any)\[(\d+)\](?:\.not)?)?\.?(\w*)");
            var where = e.Key.Length == 0 ? "" : e.Key;
            if (match.Success && int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) is var item && item < items.Count)
            {
                var inner = match.Groups[2].Success ? int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) : 0;
                var rows = items[item].Rows;
                where = $"Condition {rows[Math.Min(inner, rows.Count - 1)] + 1}{(match.Groups[3].Value.Length > 0 ? " (" + match.Groups[3].Value + ")" : "")}";
            }

            return e.Value.Select(m => where.Length == 0 ? m : $"{where}: {m}");
        }).ToList();
    }
}
