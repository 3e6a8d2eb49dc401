using System.Text.Json.Serialization;

namespace Aida.Platform.Http;

/// <summary>
/// A PATCH field that remembers whether it was sent at all, so merge-patch semantics hold:
/// absent leaves the stored value alone, <c>null</c> clears it, a value replaces it.
/// </summary>
[JsonConverter(typeof(OptionalConverterFactory))]
public readonly struct Optional<T>
{
    private readonly T _value;

    public Optional(T value)
    {
        _value = value;
        IsSet = true;
    }

    public bool IsSet { get; }

    public T Value => IsSet ? _value : throw new InvalidOperationException("The field was not sent.");

    /// <summary>The sent value, or the current one when the field was absent.</summary>
    public T Or(T current) => IsSet ? _value : current;

    public static implicit operator Optional<T>(T value) => new(value);

    public override string ToString() => IsSet ? $"{_value}" : "(not set)";
}

public sealed class OptionalConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(Optional<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(
            typeof(OptionalConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;

    private sealed class OptionalConverter<T> : JsonConverter<Optional<T>>
    {
        // Called for an explicit null too, so null is "set to null" rather than "absent".
        public override bool HandleNull => true;

        public override Optional<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                if (typeof(T).IsValueType && Nullable.GetUnderlyingType(typeof(T)) is null)
                {
                    throw new JsonException("Must not be null; leave the field out to keep its value.");
                }

                return new Optional<T>(default!);
            }

            return new Optional<T>(JsonSerializer.Deserialize<T>(ref reader, options)!);
        }

        public override void Write(Utf8JsonWriter writer, Optional<T> value, JsonSerializerOptions options)
        {
            if (value.IsSet)
            {
                JsonSerializer.Serialize(writer, value.Value, options);
            }
            else
            {
                writer.WriteNullValue();
            }
        }
    }
}
