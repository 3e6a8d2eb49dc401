using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Aida.Features.Interactions.Email;

/// <summary>
/// Handlebars-style placeholders in an email's subject and bodies: <c>{{contact.firstName}}</c>, spaces inside
/// the braces allowed. In an HTML body every value is HTML-escaped (a customer called "Smith &amp; &lt;b&gt;Sons" stays
/// text); in the subject and the text body values are inserted as they are. There is no "raw" form: no value
/// Aida knows about is markup, so none needs to bypass escaping. An unknown name is refused when the text is
/// saved or sent, never rendered as an empty string.
/// </summary>
public static partial class TemplateText
{
    /// <summary>Every placeholder, with what it stands for (the template screen lists these).</summary>
    public static readonly IReadOnlyList<(string Name, string Meaning)> Placeholders =
    [
        ("customer.name", "The customer's display name"),
        ("contact.firstName", "The recipient's first name"),
        ("contact.lastName", "The recipient's last name"),
        ("contact.name", "The recipient's full name"),
        ("contact.email", "The recipient's email address"),
        ("contact.jobTitle", "The recipient's job title"),
        ("user.name", "Your name (the sender)"),
        ("user.email", "Your email address"),
    ];

    private static readonly HashSet<string> Known = Placeholders.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>Adds an error under <paramref name="field"/> for each unknown or malformed placeholder.</summary>
    public static void Check(ValidationErrors errors, string field, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        foreach (Match match in Placeholder().Matches(text))
        {
            var name = match.Groups[1].Value;
            if (!Known.Contains(name))
            {
                errors.Add(field, $"Unknown placeholder {{{{{name}}}}}. Known: {string.Join(", ", Known.Select(k => "{{" + k + "}}"))}.");
                return;
            }
        }

        // What is left after taking out the well-formed placeholders must have no braces pair: "{{ contact" is a typo.
        if (Placeholder().Replace(text, "").Contains("{{", StringComparison.Ordinal))
        {
            errors.Add(field, "Has a \"{{\" that does not start a placeholder such as {{contact.firstName}}.");
        }
    }

    /// <summary>The text with each placeholder replaced; in HTML, escaped. Call after <see cref="Check"/> passed.</summary>
    public static string Render(string text, IReadOnlyDictionary<string, string> values, bool html) =>
        Placeholder().Replace(text, match =>
        {
            var value = values.GetValueOrDefault(match.Groups[1].Value, "");
            return html ? WebUtility.HtmlEncode(value) : value;
        });

    public static Dictionary<string, string> Values(string customerName, Customers.Contacts.Contact contact, string userName, string userEmail) => new(StringComparer.Ordinal)
    {
        ["customer.name"] = customerName,
        ["contact.firstName"] = contact.FirstName,
        ["contact.lastName"] = contact.LastName,
        ["contact.name"] = new StringBuilder(contact.FirstName).Append(contact.FirstName.Length > 0 && contact.LastName.Length > 0 ? " " : "").Append(contact.LastName).ToString(),
        ["contact.email"] = contact.Email ?? "",
        ["contact.jobTitle"] = contact.JobTitle ?? "",
        ["user.name"] = userName,
        ["user.email"] = userEmail,
    };

    [GeneratedRegex(@"\{\{\s*([A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*)\s*\}\}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Placeholder();
}
