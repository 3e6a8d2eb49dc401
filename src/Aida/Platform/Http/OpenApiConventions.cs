using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Aida.Platform.Http;

/// <summary>
/// Teaches the OpenAPI generator the two things our JSON contract does by hand: enums spelled as in
/// the spec, and PATCH fields wrapped in <see cref="Optional{T}"/> (documented as the plain type).
/// </summary>
public static class OpenApiConventions
{
    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Aida CRM API";
            document.Info.Description =
                "Errors are RFC 9457 problem+json with a stable `type` and `errors` naming each failing field. " +
                "Lists take `limit` and `cursor` and return `nextCursor`. PATCH is merge-patch: absent fields are kept, null clears; " +
                "send the ETag in `If-Match` to refuse the change (412) if someone saved first.";
            return Task.CompletedTask;
        });

        options.AddSchemaTransformer((schema, context, _) =>
        {
            var type = Unwrap(context.JsonTypeInfo.Type, out var nullable);
            if (type.IsEnum)
            {
                var names = (IEnumerable<string>)typeof(Data.EnumText<>).MakeGenericType(type).GetProperty("AllNames")!.GetValue(null)!;
                schema.Type = nullable ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
                schema.Enum = names.Select(n => (JsonNode)JsonValue.Create(n)).ToList();
            }
            else if (context.JsonTypeInfo.Type != type && Primitive(type) is { } primitive)
            {
                schema.Type = nullable ? primitive.Type | JsonSchemaType.Null : primitive.Type;
                schema.Format = primitive.Format;
            }

            return Task.CompletedTask;
        });
    }

    private static Type Unwrap(Type type, out bool nullable)
    {
        nullable = false;
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Optional<>))
        {
            type = type.GetGenericArguments()[0];
            nullable = !type.IsValueType;
        }

        if (Nullable.GetUnderlyingType(type) is { } inner)
        {
            nullable = true;
            type = inner;
        }

        return type;
    }

    private static (JsonSchemaType Type, string? Format)? Primitive(Type type) => type switch
    {
        _ when type == typeof(string) => (JsonSchemaType.String, null),
        _ when type == typeof(Guid) => (JsonSchemaType.String, "uuid"),
        _ when type == typeof(DateTime) => (JsonSchemaType.String, "date-time"),
        _ when type == typeof(DateOnly) => (JsonSchemaType.String, "date"),
        _ when type == typeof(bool) => (JsonSchemaType.Boolean, null),
        _ when type == typeof(int) || type == typeof(long) => (JsonSchemaType.Integer, null),
        _ when type == typeof(decimal) || type == typeof(double) => (JsonSchemaType.Number, null),
        _ => null,
    };
}
