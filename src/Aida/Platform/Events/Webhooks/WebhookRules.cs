using System.Text.RegularExpressions;

namespace Aida.Platform.Events.Webhooks;

/// <summary>A subscription's optional filter: events under a subject, and/or whose data has a value at a path.</summary>
public sealed record WebhookFilter(string? Subject, string? Field, string? Value);

/// <summary>The filter as a request sends it (its own type: request and response schemas are kept apart).</summary>
public sealed record WebhookFilterInput(string? Subject, string? Field, string? Value);

/// <summary>What a subscription may contain, the checks create and edit share, and which events it wants.</summary>
public static partial class WebhookRules
{
    public const int MaxEventTypes = 50;

    public static string Subject(Guid id) => $"webhooks/{id}";

    public static string Location(Guid id) => $"/api/v1/webhooks/{id}";

    /// <summary>An absolute http(s) URL without credentials, whose host webhooks may reach (<see cref="WebhookAddresses"/>).</summary>
    public static async Task<string?> UrlAsync(ValidationErrors errors, string? value, bool allowPrivateNetworks, CancellationToken cancellationToken)
    {
        var text = errors.RequiredText("url", value, WebhookSubscription.UrlMaxLength);
        if (text is null || errors.Has("url"))
        {
            return text;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add("url", "Must be an absolute http or https URL, e.g. https://example.com/hooks/aida.");
            return text;
        }

        if (!string.IsNullOrEmpty(url.UserInfo))
        {
            errors.Add("url", "Must not contain a user name or password; the signature authenticates Aida to the receiver.");
            return text;
        }

        if (await WebhookAddresses.ProblemAsync(url, allowPrivateNetworks, cancellationToken) is { } problem)
        {
            errors.Add("url", problem);
        }

        return text;
    }

    /// <summary>Patterns: an exact type ("lead.captured"), every type of an area ("lead.*"), or every type ("*").</summary>
    public static List<string>? EventTypes(ValidationErrors errors, IReadOnlyList<string?>? types)
    {
        if (types is null || types.Count == 0)
        {
            errors.Add("eventTypes", "Choose at least one event type, e.g. \"lead.*\", or \"*\" for every event.");
            return null;
        }

        if (types.Count > MaxEventTypes)
        {
            errors.Add("eventTypes", $"At most {MaxEventTypes} event types.");
            return null;
        }

        var result = new List<string>();
        for (var i = 0; i < types.Count; i++)
        {
            var type = types[i]?.Trim();
            if (type is null || type.Length > 100 || !TypePattern().IsMatch(type))
            {
                errors.Add($"eventTypes[{i}]", "Must be an event type such as \"lead.captured\", a wildcard such as \"lead.*\", or \"*\".");
            }
            else if (!result.Contains(type))
            {
                result.Add(type);
            }
        }

        return result;
    }

    /// <summary>The filter as stored: blanks become null; a field needs a value and a valid dotted path.</summary>
    public static WebhookFilter? Filter(ValidationErrors errors, WebhookFilterInput? filter)
    {
        if (filter is null)
        {
            return null;
        }

        var subject = errors.OptionalText("filter.subject", filter.Subject, WebhookSubscription.FilterSubjectMaxLength)?.Trim('/');
        var field = errors.OptionalText("filter.field", filter.Field, WebhookSubscription.FilterFieldMaxLength);
        var value = errors.OptionalText("filter.value", filter.Value, WebhookSubscription.FilterEqualsMaxLength);
        if (subject is not null && !errors.Has("filter.subject") && !SubjectPattern().IsMatch(subject))
        {
            errors.Add("filter.subject", "Must be a subject or the start of one, e.g. \"leads\" or \"customers/{id}\".");
        }

        if (field is not null && !errors.Has("filter.field") && !FieldPattern().IsMatch(field))
        {
            errors.Add("filter.field", "Must be a dotted path into the event's data, e.g. \"lead.status\".");
        }

        if (field is not null && value is null)
        {
            errors.Add("filter.value", "Is required with filter.field: the value the field must equal.");
        }
        else if (field is null && value is not null)
        {
            errors.Add("filter.field", "Is required with filter.value: the path of the field that must equal it.");
        }

        return subject is null && field is null ? null : new WebhookFilter(subject, field, value);
    }

    public static bool TypeMatches(IReadOnlyList<string> patterns, string type)
    {
        foreach (var pattern in patterns)
        {
            if (pattern == "*" || pattern == type
                || (pattern.EndsWith(".*", StringComparison.Ordinal) && type.StartsWith(pattern.AsSpan(0, pattern.Length - 1), StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether an event passes the filter: the subject is the filter's or lies under it; the data's value at the path equals the filter's (as text).</summary>
    public static bool FilterMatches(WebhookFilter? filter, string subject, string data)
    {
        if (filter is null)
        {
            return true;
        }

        if (filter.Subject is { } prefix && subject != prefix && !subject.StartsWith(prefix + "/", StringComparison.Ordinal))
        {
            return false;
        }

        if (filter.Field is null)
        {
            return true;
        }

        using var document = JsonDocument.Parse(data);
        var node = document.RootElement;
        foreach (var part in filter.Field.Split('.'))
        {
            if (node.ValueKind != JsonValueKind.Object || !node.TryGetProperty(part, out node))
            {
                return false;
            }
        }

        var text = node.ValueKind switch
        {
            JsonValueKind.String => node.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => node.GetRawText(),
            JsonValueKind.Null => "null",
            _ => null,
        };
        return string.Equals(text, filter.Value, StringComparison.Ordinal);
    }

    public static WebhookFilter? FilterOf(WebhookSubscription subscription) =>
        subscription.FilterSubject is null && subscription.FilterField is null
            ? null
            : new WebhookFilter(subscription.FilterSubject, subscription.FilterField, subscription.FilterEquals);

    [GeneratedRegex(@"^(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?)$")]
    private static partial Regex TypePattern();

    [GeneratedRegex(@"^[A-Za-z0-9_\-]+(/[A-Za-z0-9_\-]+)*$")]
    private static partial Regex SubjectPattern();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")]
    private static partial Regex FieldPattern();
}

/// <summary>A subscription as the API shows it. The secret appears only in the answer that created or rotated it.</summary>
public sealed record WebhookResponse(
    Guid Id,
    string Url,
    string? Description,
    IReadOnlyList<string> EventTypes,
    WebhookFilter? Filter,
    bool IsActive,
    Guid OwnerId,
    string? Secret,
    DateTime? FailingSince,
    DateTime? DisabledAt,
    string? DisabledReason,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    int Version);

public static class WebhookResponses
{
    public static WebhookResponse ToResponse(this WebhookSubscription s, bool withSecret = false) =>
        new(s.Id, s.Url, s.Description, s.EventTypeList, WebhookRules.FilterOf(s), s.IsActive, s.OwnerId, withSecret ? s.Secret : null,
            s.FailingSince, s.DisabledAt, s.DisabledReason, s.CreatedAt, s.UpdatedAt, s.Version);
}
