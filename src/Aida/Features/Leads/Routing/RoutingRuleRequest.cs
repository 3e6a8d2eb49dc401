using Aida.Features.Customers.Addresses;

namespace Aida.Features.Leads.Routing;

/// <summary>
/// A routing rule to add, or (PATCH) the fields of a rule to replace: lists whole, an empty list meaning
/// "any". Top-level, not nested in a use case: its name is the API's schema id, shared by create and change.
/// </summary>
public sealed record RoutingRuleRequest(
    string? Name, int? Position, bool? IsActive, List<LeadSourceType>? SourceTypes, List<string>? Countries,
    RoutingAction? Action, Guid? UserId, Guid? TeamId, int? OpenLeadCap)
{
    public const int MaxListValues = 50;

    /// <summary>Checks the request and, when it is valid, applies it to <paramref name="rule"/> (all but the position).</summary>
    public async Task ApplyToAsync(LeadRoutingRule rule, AidaDb db, ValidationErrors errors, bool creating, CancellationToken cancellationToken)
    {
        var name = creating || Name is not null ? errors.RequiredText("name", Name, LeadRoutingRule.NameMaxLength) : rule.Name;
        if (Position is < 0)
        {
            errors.Add("position", "Must be 0 or more.");
        }

        if (SourceTypes is { Count: > MaxListValues })
        {
            errors.Add("sourceTypes", $"Give at most {MaxListValues} source types.");
        }

        List<string>? countries = null;
        if (Countries is { } given)
        {
            if (given.Count > MaxListValues)
            {
                errors.Add("countries", $"Give at most {MaxListValues} countries.");
            }
            else
            {
                countries = [];
                for (var i = 0; i < given.Count; i++)
                {
                    if (AddressRules.Country(errors, $"countries[{i}]", given[i]) is { } code && !errors.Has($"countries[{i}]"))
                    {
                        countries.Add(code);
                    }
                }
            }
        }

        var action = Action ?? (creating ? null : rule.Action);
        var userId = UserId ?? (Action is null && !creating ? rule.UserId : null);
        var teamId = TeamId ?? (Action is null && !creating ? rule.TeamId : null);
        var cap = OpenLeadCap ?? (Action is null && !creating ? rule.OpenLeadCap : null);
        if (action is null)
        {
            errors.Add("action", "Is required: assign_user or round_robin.");
        }
        else if (action == RoutingAction.AssignUser)
        {
            if (userId is null)
            {
                errors.Add("userId", "Is required when the action is assign_user.");
            }
            else if (await db.Set<User>().Where(u => u.Id == userId && u.Id != User.SystemId).Select(u => (bool?)u.IsActive).FirstOrDefaultAsync(cancellationToken) is not { } active)
            {
                errors.Add("userId", "No user with this id exists.");
            }
            else if (!active)
            {
                errors.Add("userId", "The user is deactivated and cannot be given leads.");
            }

            if (TeamId is not null)
            {
                errors.Add("teamId", "Only a round_robin rule has a team.");
            }

            teamId = null;
            cap = null;
        }
        else
        {
            if (teamId is null)
            {
                errors.Add("teamId", "Is required when the action is round_robin.");
            }
            else if (!await db.Set<Team>().AnyAsync(t => t.Id == teamId, cancellationToken))
            {
                errors.Add("teamId", "No team with this id exists.");
            }

            if (UserId is not null)
            {
                errors.Add("userId", "Only an assign_user rule has a user.");
            }

            if (cap is < 1)
            {
                errors.Add("openLeadCap", "Must be 1 or more, or left out for no cap.");
            }

            userId = null;
        }

        if (errors.Any)
        {
            return;
        }

        rule.Name = name!;
        rule.IsActive = IsActive ?? rule.IsActive;
        if (SourceTypes is { } sources)
        {
            rule.SourceTypes = JsonSerializer.Serialize(sources.Distinct().Select(EnumText<LeadSourceType>.ToText).ToList());
        }

        if (countries is not null)
        {
            rule.Countries = JsonSerializer.Serialize(countries.Distinct().ToList());
        }

        if (rule.Action != action || rule.TeamId != teamId)
        {
            rule.LastAssignedUserId = null;
        }

        rule.Action = action!.Value;
        rule.UserId = userId;
        rule.TeamId = teamId;
        rule.OpenLeadCap = cap;
    }
}
