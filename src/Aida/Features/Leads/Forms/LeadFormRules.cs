namespace Aida.Features.Leads.Forms;

/// <summary>A lead field a form may ask for: its default label and the input types that fit it (the first is the default).</summary>
public sealed record FormFieldKind(string Name, string Label, IReadOnlyList<string> Types, int MaxLength);

/// <summary>What a web form may contain, and the checks every form definition passes (create and edit alike).</summary>
public static class LeadFormRules
{
    public const int MaxFields = 20;
    public const int LabelMaxLength = 200;

    /// <summary>The honeypot: a field people never see and bots fill in. A submission with it filled is answered as a success and dropped.</summary>
    public const string HoneypotField = "website";

    public static readonly IReadOnlyList<FormFieldKind> Catalog =
    [
        new("firstName", "First name", ["text"], Lead.NameMaxLength),
        new("lastName", "Last name", ["text"], Lead.NameMaxLength),
        new("email", "Email", ["email", "text"], Lead.EmailMaxLength),
        new("phone", "Phone", ["tel", "text"], Lead.PhoneMaxLength),
        new("company", "Company", ["text"], Lead.CompanyMaxLength),
        new("jobTitle", "Job title", ["text"], Lead.JobTitleMaxLength),
        new("country", "Country", ["text"], 100),
        new("needs", "What do you need?", ["textarea", "text"], Lead.NeedsMaxLength),
        new("message", "Message", ["textarea", "text"], Lead.NeedsMaxLength),
        new("budgetAmount", "Budget", ["number", "text"], 20),
        new("budgetCurrency", "Budget currency", ["text"], 3),
        new("timeline", "When do you plan to buy?", ["select"], 20),
        new("urgency", "How urgent is it?", ["select"], 20),
    ];

    /// <summary>The hidden attribution fields every form accepts besides its own.</summary>
    public static readonly IReadOnlyList<string> HiddenFields = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "landing_page", "referrer"];

    public static FormFieldKind? Kind(string name) => Catalog.FirstOrDefault(k => k.Name == name);

    /// <summary>The fields as stored: known names only, each once, labelled and typed; errors name "fields[i].name" etc.</summary>
    public static List<LeadFormField>? Fields(ValidationErrors errors, IReadOnlyList<LeadFormFieldInput>? fields)
    {
        if (fields is null || fields.Count == 0)
        {
            errors.Add("fields", "Choose at least one field (email or phone among them).");
            return null;
        }

        if (fields.Count > MaxFields)
        {
            errors.Add("fields", $"At most {MaxFields} fields.");
            return null;
        }

        var result = new List<LeadFormField>();
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            var kind = field?.Name is { } name ? Kind(name.Trim()) : null;
            if (field is null || kind is null)
            {
                errors.Add($"fields[{i}].name", "Must be one of " + string.Join(", ", Catalog.Select(k => k.Name)) + ".");
                continue;
            }

            if (result.Any(f => f.Name == kind.Name))
            {
                errors.Add($"fields[{i}].name", $"{kind.Name} is already on the form.");
                continue;
            }

            var label = errors.OptionalText($"fields[{i}].label", field.Label, LabelMaxLength) ?? kind.Label;
            var type = string.IsNullOrWhiteSpace(field.Type) ? kind.Types[0] : field.Type.Trim().ToLowerInvariant();
            if (!kind.Types.Contains(type))
            {
                errors.Add($"fields[{i}].type", $"For {kind.Name}, must be one of {string.Join(", ", kind.Types)}.");
            }

            result.Add(new LeadFormField(kind.Name, label, type, field.Required ?? false));
        }

        if (!errors.Any && !result.Any(f => f.Name is "email" or "phone"))
        {
            errors.Add("fields", "A form must ask for an email address or a phone number, or its leads could not be reached.");
        }

        return errors.Any ? null : result;
    }

    /// <summary>Origins as a browser sends them in Origin: scheme, host and port, lower case, no path.</summary>
    public static List<string>? Origins(ValidationErrors errors, IReadOnlyList<string>? origins)
    {
        var result = new List<string>();
        if (origins is null)
        {
            return result;
        }

        if (origins.Count > LeadForm.MaxOrigins)
        {
            errors.Add("allowedOrigins", $"At most {LeadForm.MaxOrigins} origins.");
            return null;
        }

        for (var i = 0; i < origins.Count; i++)
        {
            var text = origins[i]?.Trim();
            if (string.IsNullOrEmpty(text))
            {
                continue;
            }

            var origin = Normalize(text);
            if (origin is null)
            {
                errors.Add($"allowedOrigins[{i}]", "Must be an origin such as https://example.com (scheme, host and port only, no path).");
            }
            else if (!result.Contains(origin))
            {
                result.Add(origin);
            }
        }

        return errors.Any ? null : result;
    }

    /// <summary>"https://Example.com:443/" → "https://example.com"; null when not an http(s) origin.</summary>
    public static string? Normalize(string? text)
    {
        if (text is null || !Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return null;
        }

        return uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant();
    }

    public static LeadFormResponse ToResponse(this LeadForm f) => new(
        f.Id, f.Name, f.Key, f.FieldList, f.OriginList, f.SuccessRedirectUrl, f.SourceType, f.SourceDetail, f.IsActive,
        f.SubmissionCount, SubmitPath(f), f.CreatedAt, f.UpdatedAt, f.Version);

    public static string SubmitPath(LeadForm form) => $"/f/{form.Key}";

    public static string Subject(LeadForm form) => $"lead-forms/{form.Id}";

    public static string Location(Guid id) => $"/api/v1/lead-forms/{id}";

    /// <summary>Names, origins and the rest of a definition, validated and copied onto <paramref name="form"/>.</summary>
    public static void ApplyCommon(ValidationErrors errors, LeadForm form, string? successRedirectUrl, string? sourceDetail)
    {
        var redirect = LeadFields.Url(errors, "successRedirectUrl", successRedirectUrl);
        var detail = errors.OptionalText("sourceDetail", sourceDetail, Lead.SourceDetailMaxLength);
        if (!errors.Any)
        {
            form.SuccessRedirectUrl = redirect;
            form.SourceDetail = detail;
        }
    }

    public static string? Name(ValidationErrors errors, string? name) => errors.RequiredText("name", name, LeadForm.NameMaxLength);

    public static string TypeName(LeadSourceType type) => EnumText<LeadSourceType>.ToText(type);
}

/// <summary>A field as an admin sends it: <see cref="Type"/> and <see cref="Label"/> default from the field.</summary>
public sealed record LeadFormFieldInput(string? Name, string? Label, string? Type, bool? Required);

public sealed record LeadFormResponse(
    Guid Id,
    string Name,
    string Key,
    IReadOnlyList<LeadFormField> Fields,
    IReadOnlyList<string> AllowedOrigins,
    string? SuccessRedirectUrl,
    LeadSourceType SourceType,
    string? SourceDetail,
    bool IsActive,
    int SubmissionCount,
    string SubmitPath,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    int Version);
