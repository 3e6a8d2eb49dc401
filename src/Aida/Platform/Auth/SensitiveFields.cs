using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Aida.Platform.Auth;

/// <summary>
/// Fields only people with <see cref="Permissions.CustomersViewSensitive"/> may see or set (tax ids).
/// A feature marks them in its model with <see cref="Sensitive{T}"/>; responses leave them null for
/// everyone else, and the audit log and event feed — which store what happened in full — blank them
/// when read, so the same rule holds on every route that can show a record.
/// </summary>
public static class SensitiveFields
{
    private const string Annotation = "Aida:Sensitive";

    private static readonly ConcurrentDictionary<IModel, HashSet<string>> NamesByModel = new();

    public static PropertyBuilder<T> Sensitive<T>(this PropertyBuilder<T> property) => property.HasAnnotation(Annotation, true);

    /// <summary>The API (camelCase) names of the sensitive fields in <paramref name="model"/>.</summary>
    public static IReadOnlySet<string> Names(IModel model) => NamesByModel.GetOrAdd(model, m => m.GetEntityTypes()
        .SelectMany(t => t.GetProperties())
        .Where(p => p.FindAnnotation(Annotation) is not null)
        .Select(p => ApiJson.Options.PropertyNamingPolicy!.ConvertName(p.Name))
        .ToHashSet(StringComparer.Ordinal));

    /// <summary>The value as the actor may see it: itself, or null without the permission.</summary>
    public static T? Shown<T>(this AidaDb db, T? value) => db.Operation.Access.SeesSensitive ? value : default;

    /// <summary>
    /// A stored JSON document (an event payload, an audit diff) as the actor may see it: every sensitive
    /// field anywhere in it blanked unless the actor may see them; the field stays, so a reader still
    /// sees that it changed.
    /// </summary>
    public static JsonElement Shown(AidaDb db, string json)
    {
        if (db.Operation.Access.SeesSensitive)
        {
            return JsonDocument.Parse(json).RootElement.Clone();
        }

        var node = JsonNode.Parse(json);
        RedactNames(node, Names(db.Model));
        return JsonSerializer.SerializeToElement(node, ApiJson.Options);
    }

    private static void RedactNames(JsonNode? node, IReadOnlySet<string> names)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    if (names.Contains(name))
                    {
                        obj[name] = null;
                    }
                    else
                    {
                        RedactNames(obj[name], names);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    RedactNames(item, names);
                }

                break;
        }
    }
}
