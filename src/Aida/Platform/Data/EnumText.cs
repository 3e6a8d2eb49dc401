using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Aida.Platform.Data;

/// <summary>
/// The one spelling of every enum value, shared by JSON, the database and query strings: the spec's
/// snake_case names ("parent_child"), or the name given by <see cref="JsonStringEnumMemberNameAttribute"/>
/// where the spec's value is not an identifier ("1-10", "&lt;100K").
/// </summary>
public static class EnumText<TEnum> where TEnum : struct, Enum
{
    private static readonly FrozenDictionary<TEnum, string> Names = typeof(TEnum)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .ToFrozenDictionary(
            f => (TEnum)f.GetValue(null)!,
            f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? Naming.ToSnakeCase(f.Name));

    private static readonly FrozenDictionary<string, TEnum> Values =
        Names.ToFrozenDictionary(kv => kv.Value, kv => kv.Key, StringComparer.Ordinal);

    /// <summary>All valid spellings in declaration order, for error messages and documentation.</summary>
    public static IReadOnlyList<string> AllNames { get; } =
        Enum.GetValues<TEnum>().Select(v => Names[v]).ToArray();

    public static string ToText(TEnum value) =>
        Names.TryGetValue(value, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(value));

    public static bool TryParse(string? text, out TEnum value)
    {
        if (text is not null && Values.TryGetValue(text, out value))
        {
            return true;
        }

        value = default;
        return false;
    }

    public static TEnum Parse(string text) =>
        TryParse(text, out var value)
            ? value
            : throw new FormatException($"'{text}' is not one of: {string.Join(", ", AllNames)}.");
}

/// <summary>Enums are stored as their one spelling, as text, on every provider.</summary>
public sealed class EnumAsText<TEnum>() : ValueConverter<TEnum, string>(
    v => EnumText<TEnum>.ToText(v),
    v => EnumText<TEnum>.Parse(v))
    where TEnum : struct, Enum;

public static class Naming
{
    /// <summary>"StreetLine1" → "street_line_1", "ExternalId" → "external_id".</summary>
    public static string ToSnakeCase(string name)
    {
        var builder = new System.Text.StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var startsWord = i > 0 && (char.IsUpper(c) || (char.IsDigit(c) && !char.IsDigit(name[i - 1])));
            if (startsWord && name[i - 1] != '_')
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }
}
