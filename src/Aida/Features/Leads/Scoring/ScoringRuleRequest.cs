namespace Aida.Features.Leads.Scoring;

// Top-level, not nested in a use case: their names are the API's schema ids, shared by create and change.
public sealed record ScoringRuleConditionRequest(string? Field, string? Operator, JsonElement? Value, List<JsonElement>? Values);

/// <summary>A rule to add, or (PATCH) the fields of a rule to replace; a condition is replaced whole.</summary>
public sealed record ScoringRuleRequest(string? Name, ScoringCategory? Category, ScoringRuleConditionRequest? Condition, int? Points, bool? IsActive, int? Position)
{
    /// <summary>Checks the request and, when it is valid, applies it to <paramref name="rule"/> (all but the position).</summary>
    public void ApplyTo(LeadScoringRule rule, ValidationErrors errors, bool creating)
    {
        var name = creating || Name is not null
            ? errors.RequiredText("name", Name, LeadScoringRule.NameMaxLength)
            : rule.Name;
        if (creating && Category is null)
        {
            errors.Add("category", "Is required: demographic, behavioural or bant.");
        }

        if (creating && Condition is null)
        {
            errors.Add("condition", "Is required: {field, operator, value or values}.");
        }
        else if (Condition is { } condition)
        {
            ScoringConditions.Apply(errors, condition.Field, condition.Operator, condition.Value, condition.Values, rule);
        }

        if (creating && Points is null)
        {
            errors.Add("points", "Is required: from -100 to 100.");
        }
        else if (Points is < -100 or > 100)
        {
            errors.Add("points", "Must be from -100 to 100.");
        }

        if (Position is < 0)
        {
            errors.Add("position", "Must be 0 or more.");
        }

        if (errors.Any)
        {
            return;
        }

        rule.Name = name!;
        rule.Category = Category ?? rule.Category;
        rule.Points = Points ?? rule.Points;
        rule.IsActive = IsActive ?? rule.IsActive;
    }
}
