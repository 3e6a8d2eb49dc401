namespace Aida.Features.Leads.Routing;

public sealed record RoutingRuleResponse(
    Guid Id, string Name, int Position, bool IsActive, IReadOnlyList<LeadSourceType> SourceTypes, IReadOnlyList<string> Countries,
    RoutingAction Action, Guid? UserId, Guid? TeamId, int? OpenLeadCap, Guid? LastAssignedUserId, DateTime CreatedAt, DateTime UpdatedAt, int Version);

public static class RoutingRuleMapping
{
    public static RoutingRuleResponse ToResponse(this LeadRoutingRule r) => new(
        r.Id, r.Name, r.Position, r.IsActive, r.SourceTypeList(), r.CountryList(), r.Action, r.UserId, r.TeamId, r.OpenLeadCap,
        r.LastAssignedUserId, r.CreatedAt, r.UpdatedAt, r.Version);
}
