using System.Text.Json;
using System.Text.Json.Serialization;
using Aida.Platform.Data;

namespace Aida.Platform.Http;

/// <summary>
/// The API's JSON contract, used for request bodies, responses, audit diffs and event payloads alike:
/// camelCase, enums spelled as in the spec, numbers never read from strings, and unknown properties
/// rejected so a typo in a field name is a 400 instead of a silently ignored value.
/// </summary>
public static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        // Dictionary keys are data, not member names: the field paths and header names of problem
        // "errors" (e.g. "If-Match") must reach the client exactly as written.
        options.DictionaryKeyPolicy = null;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.AllowTrailingCommas = false;
        options.ReadCommentHandling = JsonCommentHandling.Disallow;
        options.MaxDepth = 32;
        options.Converters.Add(new SpecEnumConverterFactory());
        options.Converters.Add(new UtcDateTimeConverter());
        return options;
    }
}

/// <summary>Reads and writes enums by their spec names and names the allowed values when a value is wrong.</summary>
public sealed class SpecEnumConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(SpecEnumConverter<>).MakeGenericType(typeToConvert))!;

    private sealed class SpecEnumConverter<TEnum> : JsonConverter<TEnum> where TEnum : struct, Enum
    {
        public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String && EnumText<TEnum>.TryParse(reader.GetString(), out var value))
            {
                return value;
            }

            throw new JsonException($"Must be one of: {string.Join(", ", EnumText<TEnum>.AllNames)}.");
        }

        public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
            writer.WriteStringValue(EnumText<TEnum>.ToText(value));

        public override TEnum ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            EnumText<TEnum>.TryParse(reader.GetString(), out var value)
                ? value
                : throw new JsonException($"Must be one of: {string.Join(", ", EnumText<TEnum>.AllNames)}.");

        public override void WriteAsPropertyName(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
            writer.WritePropertyName(EnumText<TEnum>.ToText(value));
    }
}

/// <summary>
/// Every time in the API is UTC with a trailing Z. A time sent with an offset is converted to UTC;
/// one sent without any offset is ambiguous and rejected rather than guessed.
/// </summary>
public sealed class UtcDateTimeConverter : JsonConverter<DateTime>
{
    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String
            && DateTimeOffset.TryParse(reader.GetString(), System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out var value)
            && HasOffset(reader.GetString()!))
        {
            return Time.Truncate(value.UtcDateTime);
        }

        throw new JsonException("Must be an ISO 8601 date-time with an offset or Z, e.g. 2026-01-31T09:30:00Z.");
    }

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) =>
        writer.WriteStringValue(DateTime.SpecifyKind(value, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture));

    internal static bool HasOffset(string text)
    {
        if (text.EndsWith('Z') || text.EndsWith('z'))
        {
            return true;
        }

        var t = text.IndexOf('T', StringComparison.OrdinalIgnoreCase);
        return t > 0 && (text.IndexOf('+', t) > 0 || text.IndexOf('-', t) > 0);
    }
}
