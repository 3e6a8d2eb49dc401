namespace Aida.Platform.Http;

/// <summary>Parses list filters from the query string with the same spellings and messages as JSON bodies.</summary>
public static class QueryValues
{
    /// <summary>"active,prospect" → [Active, Prospect]; null when absent.</summary>
    public static List<TEnum>? EnumList<TEnum>(string? text, string field, ValidationErrors errors) where TEnum : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var values = new List<TEnum>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (EnumText<TEnum>.TryParse(part, out var value))
            {
                values.Add(value);
            }
            else
            {
                errors.Add(field, $"'{part}' is not one of: {string.Join(", ", EnumText<TEnum>.AllNames)}.");
            }
        }

        return values;
    }

    /// <summary>One enum value in its spec spelling; null when absent.</summary>
    public static TEnum? Enum<TEnum>(string? text, string field, ValidationErrors errors) where TEnum : struct, System.Enum
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (EnumText<TEnum>.TryParse(text.Trim(), out var value))
        {
            return value;
        }

        errors.Add(field, $"Must be one of {string.Join(", ", EnumText<TEnum>.AllNames)}.");
        return null;
    }

    /// <summary>An ISO 8601 date or date-time; without an offset it is read as UTC.</summary>
    public static DateTime? Time(string? text, string field, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            if (AcceptedDates.Contains(value))
            {
                return Platform.Time.Truncate(value.UtcDateTime);
            }

            errors.Add(field, AcceptedDates.Message);
            return null;
        }

        errors.Add(field, "Must be an ISO 8601 date or date-time, e.g. 2026-01-31 or 2026-01-31T09:30:00Z.");
        return null;
    }

    /// <summary>A calendar date in ISO 8601 (yyyy-MM-dd) within <see cref="AcceptedDates"/>; null when absent.</summary>
    public static DateOnly? Date(string? text, string field, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            errors.Add(field, "Must be a date in ISO 8601 form, e.g. 2026-01-31.");
            return null;
        }

        if (!AcceptedDates.Contains(date))
        {
            errors.Add(field, AcceptedDates.Message);
            return null;
        }

        return date;
    }

    public static (string Field, bool Descending) Sort(string? text, string defaultSort, IReadOnlyCollection<string> allowed, ValidationErrors errors)
    {
        var sort = string.IsNullOrWhiteSpace(text) ? defaultSort : text.Trim();
        var descending = sort.StartsWith('-');
        var field = sort.TrimStart('-', '+');
        if (!allowed.Contains(field))
        {
            errors.Add("sort", $"Must be one of {string.Join(", ", allowed)}, optionally prefixed with - for descending.");
            return (defaultSort.TrimStart('-'), defaultSort.StartsWith('-'));
        }

        return (field, descending);
    }

    /// <summary>The smallest string greater than every string starting with <paramref name="prefix"/>.</summary>
    public static string PrefixUpperBound(string prefix) =>
        prefix.Length == 0 ? "\uffff" : string.Concat(prefix.AsSpan(0, prefix.Length - 1), ((char)(prefix[^1] + 1)).ToString());
}
