namespace Aida.Features.Leads;

/// <summary>One rule's contribution to a lead's score ("why is this lead 72?").</summary>
public sealed record ScoreFactor(Guid? RuleId, string Name, string Category, int Points);

public sealed record LeadResponse(
    Guid Id,
    string DisplayName,
    string? FirstName,
    string? LastName,
    string? Email,
    string? Phone,
    string? Company,
    string? JobTitle,
    string? Country,
    LeadSourceType SourceType,
    string? SourceDetail,
    Guid? FormId,
    LeadUtm Utm,
    string? LandingPage,
    string? Referrer,
    string? Needs,
    decimal? BudgetAmount,
    string? BudgetCurrency,
    LeadAuthority Authority,
    LeadNeed Need,
    PurchaseTimeline Timeline,
    Urgency Urgency,
    int Score,
    IReadOnlyList<ScoreFactor> ScoreFactors,
    DateTime? ScoredAt,
    QualificationStatus QualificationStatus,
    string? QualificationReason,
    LeadStatus Status,
    Guid? AssignedTo,
    DateTime? AssignedAt,
    Guid? RoutingRuleId,
    string? RoutingReason,
    DateTime? ConnectedAt,
    int FollowUpCount,
    DateTime? LastContactAt,
    DateTime? NextFollowUpAt,
    string? LostReason,
    Guid? ConvertedCustomerId,
    Guid? ConvertedContactId,
    Guid? ConvertedOpportunityId,
    DateTime? ConvertedAt,
    int CaptureCount,
    DateTime LastCapturedAt,
    Guid? CreatedBy,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    int Version);

public sealed record LeadUtm(string? Source, string? Medium, string? Campaign, string? Term, string? Content);

public static class LeadMapping
{
    private static readonly JsonSerializerOptions FactorJson = new(JsonSerializerDefaults.Web);

    public static LeadResponse ToResponse(this Lead l) => new(
        l.Id, l.DisplayName, l.FirstName, l.LastName, l.Email, l.Phone, l.Company, l.JobTitle, l.Country,
        l.SourceType, l.SourceDetail, l.FormId,
        new LeadUtm(l.UtmSource, l.UtmMedium, l.UtmCampaign, l.UtmTerm, l.UtmContent), l.LandingPage, l.Referrer,
        l.Needs, l.BudgetAmount, l.BudgetCurrency, l.Authority, l.Need, l.Timeline, l.Urgency,
        l.Score, Factors(l), l.ScoredAt, l.QualificationStatus, l.QualificationReason, l.Status,
        l.AssignedTo, l.AssignedAt, l.RoutingRuleId, l.RoutingReason, l.ConnectedAt,
        l.FollowUpCount, l.LastContactAt, l.NextFollowUpAt, l.LostReason,
        l.ConvertedCustomerId, l.ConvertedContactId, l.ConvertedOpportunityId, l.ConvertedAt,
        l.CaptureCount, l.LastCapturedAt, l.CreatedBy, l.CreatedAt, l.UpdatedAt, l.Version);

    public static IReadOnlyList<ScoreFactor> Factors(Lead lead) =>
        JsonSerializer.Deserialize<List<ScoreFactor>>(lead.ScoreFactors, FactorJson) ?? [];

    public static string SerializeFactors(IEnumerable<ScoreFactor> factors) => JsonSerializer.Serialize(factors, FactorJson);

    /// <summary>Leads belong to no customer until they convert, so their events are subjects of their own.</summary>
    public static string Subject(Lead lead) => $"leads/{lead.Id}";

    public static string Location(Lead lead) => $"/api/v1/leads/{lead.Id}";
}
