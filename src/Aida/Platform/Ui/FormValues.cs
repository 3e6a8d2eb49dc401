namespace Aida.Platform.Ui;

/// <summary>
/// A posted form read into the types handlers take. Values that cannot be what a field needs (an
/// unknown status, a malformed id — only a tampered form sends those) become field errors, never
/// exceptions; every raw value is kept so a refused form is shown again as the user typed it.
/// </summary>
public sealed class FormValues
{
    private readonly Dictionary<string, string?> _values;

    public FormValues(IFormCollection form)
        : this(form.ToDictionary(kv => kv.Key, kv => (string?)kv.Value.ToString(), StringComparer.Ordinal))
    {
    }

    public FormValues(Dictionary<string, string?> values)
    {
        _values = values;
        foreach (var (name, value) in values)
        {
            if (value is not null && TextInput.Problem(value) is { } problem)
            {
                Errors.Add(name, problem);
            }
        }
    }

    public ValidationErrors Errors { get; } = new();

    public string? this[string name] => _values.TryGetValue(name, out var value) ? value : null;

    /// <summary>Text as typed; blank is null (the handlers trim and check lengths).</summary>
    public string? Text(string name) => string.IsNullOrWhiteSpace(this[name]) ? null : this[name];

    public bool Flag(string name) => this[name] is "true" or "on";

    public TEnum? Enum<TEnum>(string name) where TEnum : struct, Enum
    {
        var text = Text(name);
        if (text is null)
        {
            return null;
        }

        if (EnumText<TEnum>.TryParse(text, out var value))
        {
            return value;
        }

        Errors.Add(name, $"Must be one of {string.Join(", ", EnumText<TEnum>.AllNames)}.");
        return null;
    }

    public Guid? Id(string name)
    {
        var text = Text(name);
        if (text is null)
        {
            return null;
        }

        if (Guid.TryParse(text, out var id))
        {
            return id;
        }

        Errors.Add(name, "Is not a valid choice.");
        return null;
    }

    /// <summary>A date as a date input sends it (yyyy-MM-dd).</summary>
    public DateOnly? Date(string name)
    {
        var text = Text(name);
        if (text is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            if (AcceptedDates.Contains(date))
            {
                return date;
            }

            Errors.Add(name, AcceptedDates.Message);
            return null;
        }

        Errors.Add(name, "Must be a date, e.g. 2026-12-31.");
        return null;
    }

    /// <summary>
    /// A date and time as a datetime-local input sends it (yyyy-MM-ddTHH:mm), read in the user's zone: the
    /// browser sends wall-clock time, and the same wall-clock time means another instant in another zone.
    /// </summary>
    public DateTimeOffset? LocalTime(string name, TimeZoneInfo zone)
    {
        var text = Text(name);
        if (text is null)
        {
            return null;
        }

        string[] formats = ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss"];
        if (!DateTime.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            Errors.Add(name, "Must be a date and time, e.g. 2026-12-31T14:30.");
            return null;
        }

        if (!AcceptedDates.Contains(DateOnly.FromDateTime(local)))
        {
            Errors.Add(name, AcceptedDates.Message);
            return null;
        }

        if (zone.IsInvalidTime(local))
        {
            Errors.Add(name, "Does not exist in your time zone (the clocks skip it); choose another time.");
            return null;
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>A whole number in a number input; blank is null.</summary>
    public int? WholeNumber(string name)
    {
        var text = Text(name);
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        Errors.Add(name, "Must be a whole number.");
        return null;
    }

    /// <summary>The record version the form was rendered from, sent back as If-Match so a stale edit is refused.</summary>
    public string? IfMatch => int.TryParse(this["version"], NumberStyles.None, CultureInfo.InvariantCulture, out var version)
        ? ETags.For(version)
        : null;

    /// <summary>
    /// After a stale save: what the user typed, now based on <paramref name="version"/> (the stored one),
    /// so saving again applies it on purpose.
    /// </summary>
    public FormValues Restamped(int version) =>
        new(new Dictionary<string, string?>(_values, StringComparer.Ordinal) { ["version"] = version.ToString(CultureInfo.InvariantCulture) });

    /// <summary>The form's own errors (values a field cannot hold), for showing beside the inputs.</summary>
    public IReadOnlyDictionary<string, string[]> OwnErrors => Errors.ToDictionary();

    /// <summary>The handler's errors merged with the form's own, for showing beside the inputs.</summary>
    public IReadOnlyDictionary<string, string[]> With(IReadOnlyDictionary<string, string[]> handlerErrors)
    {
        var merged = Errors.ToDictionary();
        foreach (var (field, messages) in handlerErrors)
        {
            merged[field] = merged.TryGetValue(field, out var existing) ? [.. existing, .. messages] : messages;
        }

        return merged;
    }
}

/// <summary>Enum values as options for a select, in the spec's spelling, labelled for people.</summary>
public static class Choices
{
    public static IEnumerable<(string Value, string Text)> Of<TEnum>(string? emptyText = null) where TEnum : struct, Enum
    {
        if (emptyText is not null)
        {
            yield return ("", emptyText);
        }

        foreach (var name in EnumText<TEnum>.AllNames)
        {
            yield return (name, Words(name));
        }
    }

    public static string Label<TEnum>(TEnum value) where TEnum : struct, Enum => Words(EnumText<TEnum>.ToText(value));

    public static string Label<TEnum>(TEnum? value, string none = "—") where TEnum : struct, Enum =>
        value is { } v ? Label(v) : none;

    /// <summary>"parent_child" → "Parent child".</summary>
    public static string Words(string name)
    {
        var text = name.Replace('_', ' ');
        return text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
    }
}
