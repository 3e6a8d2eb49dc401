using System.Text;

namespace Aida.Platform.Ui;

/// <summary>
/// Form inputs are named by the API's field paths ("primaryContact.email"), so a handler's validation
/// errors land beside the input they are about; these turn those names into element ids and words.
/// </summary>
public static class FieldIds
{
    public static string For(string field) => "f-" + field.Replace('.', '-').Replace('[', '-').Replace("]", "", StringComparison.Ordinal);

    public static string? ErrorOf(IReadOnlyDictionary<string, string[]>? errors, string field) =>
        errors is not null && errors.TryGetValue(field, out var messages) && messages.Length > 0 ? string.Join(" ", messages) : null;

    public static string? DescribedBy(string id, bool hint, bool error) =>
        (hint, error) switch
        {
            (true, true) => $"{id}-hint {id}-error",
            (true, false) => $"{id}-hint",
            (false, true) => $"{id}-error",
            _ => null,
        };

    /// <summary>Where a field's label is not its API name in words.</summary>
    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["displayName"] = "Name",
        ["ownerId"] = "Owner",
        ["parentId"] = "Organization",
        ["customerId"] = "Customer",
        ["toCustomerId"] = "Customer",
        ["streetLine1"] = "Street",
        ["streetLine2"] = "Street, second line",
        ["stateProvince"] = "State or province",
        ["country"] = "Country code",
        ["dbaName"] = "Trading as",
        ["account.legalName"] = "Account legal name",
        ["relationshipType"] = "Relationship",
    };

    /// <summary>"primaryContact.firstName" → "Primary contact first name"; a field's label where that differs.</summary>
    public static string Describe(string field)
    {
        if (Labels.TryGetValue(field, out var label))
        {
            return label;
        }

        var words = new StringBuilder();
        foreach (var c in field)
        {
            if (c == '.')
            {
                words.Append(' ');
            }
            else if (char.IsUpper(c))
            {
                words.Append(' ').Append(char.ToLowerInvariant(c));
            }
            else if (c is not '[' and not ']')
            {
                words.Append(c);
            }
        }

        var text = words.ToString().Trim();
        return text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
    }
}
