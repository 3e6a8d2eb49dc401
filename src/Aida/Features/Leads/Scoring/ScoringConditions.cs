using Aida.Features.Customers;
using Aida.Features.Customers.Addresses;

namespace Aida.Features.Leads.Scoring;

/// <summary>
/// The scoring rule language: a condition is <c>{field, operator, value | values}</c> over one lead field.
/// Each field has a kind, and the kind decides the operators it takes:
/// text (<c>country, jobTitle, company, emailDomain, sourceDetail, utmSource, utmMedium, utmCampaign</c>):
/// equals, not_equals, contains, in, not_in, is_set, is_not_set — compared ignoring case;
/// choice (<c>sourceType, authority, need, timeline, urgency</c>): equals, not_equals, in, not_in with the
/// API spellings (decision_maker, this_month…); number (<c>budgetAmount, captureCount, inboundTouches,
/// followUpCount</c>): equals, at_least, at_most, is_set, is_not_set; flag (<c>businessEmail</c> — the
/// address is not at a free-mail provider, <c>connected</c>, <c>hasInboundInteraction</c>): is_true, is_false.
/// </summary>
public static class ScoringConditions
{
    public enum Kind
    {
        Text,
        Choice,
        Number,
        Flag,
    }

    public sealed record FieldSpec(string Name, Kind Kind, IReadOnlyList<string>? Choices = null, bool CountsTouches = false);

    public sealed record LeadFacts(Lead Lead, int InboundTouches);

    public static readonly IReadOnlyDictionary<string, FieldSpec> Fields = new[]
    {
        new FieldSpec("country", Kind.Text),
        new FieldSpec("jobTitle", Kind.Text),
        new FieldSpec("company", Kind.Text),
        new FieldSpec("emailDomain", Kind.Text),
        new FieldSpec("sourceDetail", Kind.Text),
        new FieldSpec("utmSource", Kind.Text),
        new FieldSpec("utmMedium", Kind.Text),
        new FieldSpec("utmCampaign", Kind.Text),
        new FieldSpec("sourceType", Kind.Choice, EnumText<LeadSourceType>.AllNames),
        new FieldSpec("authority", Kind.Choice, EnumText<LeadAuthority>.AllNames),
        new FieldSpec("need", Kind.Choice, EnumText<LeadNeed>.AllNames),
        new FieldSpec("timeline", Kind.Choice, EnumText<PurchaseTimeline>.AllNames),
        new FieldSpec("urgency", Kind.Choice, EnumText<Urgency>.AllNames),
        new FieldSpec("budgetAmount", Kind.Number),
        new FieldSpec("captureCount", Kind.Number),
        new FieldSpec("inboundTouches", Kind.Number, CountsTouches: true),
        new FieldSpec("followUpCount", Kind.Number),
        new FieldSpec("businessEmail", Kind.Flag),
        new FieldSpec("connected", Kind.Flag),
        new FieldSpec("hasInboundInteraction", Kind.Flag, CountsTouches: true),
    }.ToDictionary(f => f.Name, StringComparer.Ordinal);

    public static IReadOnlyList<ScoringOperator> OperatorsFor(Kind kind) => kind switch
    {
        Kind.Text => [ScoringOperator.Equals, ScoringOperator.NotEquals, ScoringOperator.Contains, ScoringOperator.In, ScoringOperator.NotIn, ScoringOperator.IsSet, ScoringOperator.IsNotSet],
        Kind.Choice => [ScoringOperator.Equals, ScoringOperator.NotEquals, ScoringOperator.In, ScoringOperator.NotIn],
        Kind.Number => [ScoringOperator.Equals, ScoringOperator.AtLeast, ScoringOperator.AtMost, ScoringOperator.IsSet, ScoringOperator.IsNotSet],
        _ => [ScoringOperator.IsTrue, ScoringOperator.IsFalse],
    };

    /// <summary>Whether any of <paramref name="rules"/> needs the lead's touches counted (a query the others do without).</summary>
    public static bool NeedsTouches(IEnumerable<LeadScoringRule> rules) =>
        rules.Any(r => Fields.TryGetValue(r.Field, out var spec) && spec.CountsTouches);

    /// <summary>
    /// Validates a condition as sent (field names in errors are <c>condition.field</c>, <c>condition.operator</c>,
    /// <c>condition.value</c>, <c>condition.values</c>) and, when it is good, writes it onto <paramref name="rule"/>.
    /// </summary>
    public static void Apply(ValidationErrors errors, string? field, string? op, JsonElement? value, IReadOnlyList<JsonElement>? values, LeadScoringRule rule)
    {
        if (string.IsNullOrWhiteSpace(field))
        {
            errors.Add("condition.field", "Is required: one of " + string.Join(", ", Fields.Keys) + ".");
            return;
        }

        if (!Fields.TryGetValue(field.Trim(), out var spec))
        {
            errors.Add("condition.field", $"'{field}' is not a field rules can score; use one of {string.Join(", ", Fields.Keys)}.");
            return;
        }

        var allowed = OperatorsFor(spec.Kind);
        var allowedText = string.Join(", ", allowed.Select(EnumText<ScoringOperator>.ToText));
        if (string.IsNullOrWhiteSpace(op) || !EnumText<ScoringOperator>.TryParse(op.Trim(), out var parsed) || !allowed.Contains(parsed))
        {
            errors.Add("condition.operator", $"For {spec.Name} use one of {allowedText}.");
            return;
        }

        string? single = null;
        List<string>? list = null;
        switch (parsed)
        {
            case ScoringOperator.In or ScoringOperator.NotIn:
                if (value is { ValueKind: not JsonValueKind.Null })
                {
                    errors.Add("condition.value", $"{EnumText<ScoringOperator>.ToText(parsed)} takes a list: send values, not value.");
                }

                if (values is not { Count: > 0 })
                {
                    errors.Add("condition.values", "Give at least one value.");
                }
                else if (values.Count > LeadScoringRule.MaxListValues)
                {
                    errors.Add("condition.values", $"Give at most {LeadScoringRule.MaxListValues} values.");
                }
                else
                {
                    list = [];
                    for (var i = 0; i < values.Count; i++)
                    {
                        if (Normalize(errors, $"condition.values[{i}]", spec, values[i]) is { } v)
                        {
                            list.Add(v);
                        }
                    }
                }

                break;
            case ScoringOperator.IsSet or ScoringOperator.IsNotSet or ScoringOperator.IsTrue or ScoringOperator.IsFalse:
                if (value is { ValueKind: not JsonValueKind.Null } || values is { Count: > 0 })
                {
                    errors.Add("condition.value", $"{EnumText<ScoringOperator>.ToText(parsed)} takes no value.");
                }

                break;
            default:
                if (values is { Count: > 0 })
                {
                    errors.Add("condition.values", $"{EnumText<ScoringOperator>.ToText(parsed)} takes one value: send value, not values.");
                }

                if (value is not { ValueKind: not JsonValueKind.Null } given)
                {
                    errors.Add("condition.value", "Is required.");
                }
                else
                {
                    single = Normalize(errors, "condition.value", spec, given);
                }

                break;
        }

        if (errors.Any)
        {
            return;
        }

        rule.Field = spec.Name;
        rule.Operator = parsed;
        rule.Value = single;
        rule.ValueList = list is null ? null : JsonSerializer.Serialize(list);
    }

    /// <summary>A value as stored: choices in their API spelling, countries upper-case ISO 3166-1, numbers invariant.</summary>
    private static string? Normalize(ValidationErrors errors, string path, FieldSpec spec, JsonElement element)
    {
        var text = element.ValueKind switch
        {
            JsonValueKind.String => element.GetString(),
            JsonValueKind.Number => element.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        };
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(path, "Must be a text or a number.");
            return null;
        }

        text = text.Trim();
        switch (spec.Kind)
        {
            case Kind.Number:
                if (!decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var number))
                {
                    errors.Add(path, $"{spec.Name} is a number: the value must be one, e.g. 1000.");
                    return null;
                }

                return number.ToString(CultureInfo.InvariantCulture);
            case Kind.Choice:
                if (!spec.Choices!.Contains(text))
                {
                    errors.Add(path, $"'{text}' is not a {spec.Name}; use one of {string.Join(", ", spec.Choices!)}.");
                    return null;
                }

                return text;
            default:
                if (spec.Name == "country")
                {
                    return AddressRules.Country(errors, path, text);
                }

                return errors.OptionalText(path, text, LeadScoringRule.ValueMaxLength);
        }
    }

    public static IReadOnlyList<string> ListOf(LeadScoringRule rule) =>
        rule.ValueList is null ? [] : JsonSerializer.Deserialize<List<string>>(rule.ValueList) ?? [];

    public static bool Matches(LeadScoringRule rule, LeadFacts facts)
    {
        if (!Fields.TryGetValue(rule.Field, out var spec))
        {
            return false;
        }

        var lead = facts.Lead;
        switch (spec.Kind)
        {
            case Kind.Flag:
                var flag = spec.Name switch
                {
                    "businessEmail" => Matching.CompanyDomain(lead.Email) is not null,
                    "connected" => lead.ConnectedAt is not null,
                    _ => facts.InboundTouches > 0,
                };
                return rule.Operator == ScoringOperator.IsTrue ? flag : !flag;
            case Kind.Number:
                decimal? number = spec.Name switch
                {
                    "budgetAmount" => lead.BudgetAmount,
                    "captureCount" => lead.CaptureCount,
                    "inboundTouches" => facts.InboundTouches,
                    _ => lead.FollowUpCount,
                };
                var limit = rule.Value is null ? 0m : decimal.Parse(rule.Value, CultureInfo.InvariantCulture);
                return rule.Operator switch
                {
                    ScoringOperator.IsSet => number is not null,
                    ScoringOperator.IsNotSet => number is null,
                    ScoringOperator.Equals => number == limit,
                    ScoringOperator.AtLeast => number >= limit,
                    ScoringOperator.AtMost => number <= limit,
                    _ => false,
                };
            default:
                var text = TextOf(spec.Name, lead);
                return rule.Operator switch
                {
                    ScoringOperator.IsSet => !string.IsNullOrEmpty(text),
                    ScoringOperator.IsNotSet => string.IsNullOrEmpty(text),
                    ScoringOperator.Equals => text is not null && string.Equals(text, rule.Value, StringComparison.OrdinalIgnoreCase),
                    ScoringOperator.NotEquals => !string.Equals(text, rule.Value, StringComparison.OrdinalIgnoreCase),
                    ScoringOperator.Contains => text is not null && rule.Value is not null && text.Contains(rule.Value, StringComparison.OrdinalIgnoreCase),
                    ScoringOperator.In => text is not null && ListOf(rule).Contains(text, StringComparer.OrdinalIgnoreCase),
                    ScoringOperator.NotIn => text is null || !ListOf(rule).Contains(text, StringComparer.OrdinalIgnoreCase),
                    _ => false,
                };
        }
    }

    private static string? TextOf(string field, Lead lead) => field switch
    {
        "country" => lead.Country,
        "jobTitle" => lead.JobTitle,
        "company" => lead.Company,
        "emailDomain" => lead.EmailNormalized is { } email && email.LastIndexOf('@') is var at and > 0 ? email[(at + 1)..] : null,
        "sourceDetail" => lead.SourceDetail,
        "utmSource" => lead.UtmSource,
        "utmMedium" => lead.UtmMedium,
        "utmCampaign" => lead.UtmCampaign,
        "sourceType" => EnumText<LeadSourceType>.ToText(lead.SourceType),
        "authority" => EnumText<LeadAuthority>.ToText(lead.Authority),
        "need" => EnumText<LeadNeed>.ToText(lead.Need),
        "timeline" => EnumText<PurchaseTimeline>.ToText(lead.Timeline),
        "urgency" => EnumText<Urgency>.ToText(lead.Urgency),
        _ => null,
    };

    /// <summary>The condition in words, for the settings screen: "jobTitle contains “owner”".</summary>
    public static string Describe(LeadScoringRule rule)
    {
        var op = EnumText<ScoringOperator>.ToText(rule.Operator).Replace('_', ' ');
        return rule.Operator switch
        {
            ScoringOperator.In or ScoringOperator.NotIn => $"{rule.Field} {op} {string.Join(", ", ListOf(rule))}",
            ScoringOperator.IsSet or ScoringOperator.IsNotSet or ScoringOperator.IsTrue or ScoringOperator.IsFalse => $"{rule.Field} {op}",
            _ => $"{rule.Field} {op} “{rule.Value}”",
        };
    }
}
