using System.Net.Mail;

namespace Aida.Platform.Http;

/// <summary>Collects every field error of a request so the client sees them all in one 400.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    /// <summary>How many messages so far; compare before and after a nested part to see if it failed.</summary>
    public int Count => _errors.Values.Sum(messages => messages.Count);

    public bool Has(string field) => _errors.ContainsKey(field);

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
    }

    /// <summary>Required text: present, not blank, at most <paramref name="maxLength"/> characters.</summary>
    public string? RequiredText(string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, "Is required.");
            return null;
        }

        return OptionalText(field, value, maxLength);
    }

    /// <summary>Optional text, trimmed; blank becomes null.</summary>
    public string? OptionalText(string field, string? value, int maxLength)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        if (trimmed.Length > maxLength)
        {
            Add(field, $"Must be at most {maxLength} characters.");
        }

        if (trimmed.Any(char.IsControl))
        {
            Add(field, "Must not contain control characters.");
        }

        return trimmed;
    }

    public string? Email(string field, string? value)
    {
        var email = OptionalText(field, value, 254);
        if (email is null || Has(field))
        {
            return email;
        }

        if (!IsEmail(email))
        {
            Add(field, "Must be a valid email address, e.g. name@example.com.");
        }

        return email;
    }

    public ValidationProblem ToProblem() => Problems.Validation(ToDictionary());

    public Failure.Invalid ToFailure() => new(ToDictionary());

    public Dictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);

    public static bool IsEmail(string value)
    {
        // MailAddress accepts display names and bare hosts; a CRM address must be exactly local@domain.tld.
        if (!MailAddress.TryCreate(value, out var address) || address.Address != value || address.DisplayName.Length > 0)
        {
            return false;
        }

        var at = value.LastIndexOf('@');
        var domain = value[(at + 1)..];
        return at > 0
            && at <= 64
            && domain.Contains('.', StringComparison.Ordinal)
            && !domain.StartsWith('.')
            && !domain.EndsWith('.')
            && !domain.Contains("..", StringComparison.Ordinal)
            && !value.Any(char.IsWhiteSpace)
            && domain.All(c => char.IsLetterOrDigit(c) || c is '-' or '.');
    }
}
