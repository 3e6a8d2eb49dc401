using System.Text.Json.Serialization;

namespace Aida.Platform.Http;

/// <summary>
/// The API's JSON contract, used for request bodies, responses, audit diffs and event payloads alike:
/// camelCase, enums spelled as in the spec, numbers never read from strings, unknown properties
/// rejected so a typo in a field name is a 400 instead of a silently ignored value, and the input rules
/// every field shares applied as the body is read: text (<see cref="TextInput"/>) and dates
/// (<see cref="AcceptedDates"/>), so no handler can forget them.
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
        options.Converters.Add(new DateTimeOffsetInRangeConverter());
        options.Converters.Add(new DateOnlyInRangeConverter());
        options.Converters.Add(new CleanStringConverter());
        options.Converters.Add(new CleanJsonElementConverter());
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
            return AcceptedDates.Contains(value)
                ? Time.Truncate(value.UtcDateTime)
                : throw new JsonException(AcceptedDates.Message);
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

/// <summary>Reads a date-time with offset as System.Text.Json does, within <see cref="AcceptedDates"/>.</summary>
public sealed class DateTimeOffsetInRangeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // A message-less JsonException gets the serializer's own "could not be converted" text and path.
        if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out var value))
        {
            throw new JsonException();
        }

        return AcceptedDates.Contains(value) ? value : throw new JsonException(AcceptedDates.Message);
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

/// <summary>Reads a calendar date (yyyy-MM-dd) within <see cref="AcceptedDates"/>.</summary>
public sealed class DateOnlyInRangeConverter : JsonConverter<DateOnly>
{
    public override DateOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String
            || !DateOnly.TryParseExact(reader.GetString(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out var date))
        {
            throw new JsonException();
        }

        return AcceptedDates.Contains(date) ? date : throw new JsonException(AcceptedDates.Message);
    }

    public override void Write(Utf8JsonWriter writer, DateOnly value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>Every string in a body obeys <see cref="TextInput"/>: no control characters but tab and line breaks, no broken UTF-16.</summary>
public sealed class CleanStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String ? Clean(ref reader) : throw new JsonException();

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Clean(ref reader);

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WritePropertyName(value);

    internal static string Clean(ref Utf8JsonReader reader)
    {
        string text;
        try
        {
            text = reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // An escaped lone surrogate ("\ud800") is valid JSON but no text at all.
            throw new JsonException(TextInput.BrokenText);
        }

        return TextInput.Problem(text) is { } problem ? throw new JsonException(problem) : text;
    }
}

/// <summary>Free-form JSON values (a rule's condition value) obey <see cref="TextInput"/> in every string they hold.</summary>
public sealed class CleanJsonElementConverter : JsonConverter<JsonElement>
{
    public override JsonElement Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var element = JsonElement.ParseValue(ref reader);
        try
        {
            Check(element);
        }
        catch (InvalidOperationException)
        {
            // Reading an escaped lone surrogate ("\ud800") as text throws; it is valid JSON but no text at all.
            throw new JsonException(TextInput.BrokenText);
        }

        return element;
    }

    public override void Write(Utf8JsonWriter writer, JsonElement value, JsonSerializerOptions options) => value.WriteTo(writer);

    private static void Check(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                Check(element.GetString()!);
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Check(item);
                }

                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Check(property.Name);
                    Check(property.Value);
                }

                break;
        }
    }

    private static void Check(string text)
    {
        if (TextInput.Problem(text) is { } problem)
        {
            throw new JsonException(problem);
        }
    }
}
