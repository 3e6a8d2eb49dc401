using Aida.Features.Customers;

namespace Aida.Features.Deals;

/// <summary>The stage a deal is in, as clients need it to draw and group the deal.</summary>
public sealed record DealStage(Guid Id, string Name, string Code, StageKind Kind);

/// <summary>One stay in a stage: who moved the deal in, when, and when it left (null while it is there).</summary>
public sealed record StageStay(Guid StageId, string StageName, string StageCode, DateTime EnteredAt, DateTime? LeftAt, Guid? MovedBy);

/// <summary>
/// A deal as the API shows it. <c>probability</c> is the effective one (the override, else the stage's
/// default) and <c>weightedValue</c> is value × probability; <c>stale</c> and <c>daysInStage</c> are
/// computed from the clock when the response is made.
/// </summary>
public sealed record DealResponse(
    Guid Id,
    string Title,
    string? Description,
    decimal Value,
    string Currency,
    Guid PipelineId,
    DealStage Stage,
    int Probability,
    int? ProbabilityOverride,
    decimal WeightedValue,
    DateOnly? ExpectedCloseOn,
    Guid CustomerId,
    string? CustomerName,
    Guid? ContactId,
    Guid? OwnerId,
    string? Source,
    DealPriority Priority,
    DealStatus Status,
    DateTime? ClosedAt,
    string? CloseReason,
    Guid? LeadId,
    DateTime StageEnteredAt,
    DateTime LastActivityAt,
    int DaysInStage,
    bool Stale,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    int Version,
    IReadOnlyList<StageStay>? History);

public static class DealMapping
{
    public static string Location(Guid dealId) => $"/api/v1/deals/{dealId}";

    public static bool IsStale(Opportunity deal, DateTime now, int staleAfterDays) =>
        deal.Status == DealStatus.Open && deal.LastActivityAt < now.AddDays(-staleAfterDays);

    public static DealResponse ToResponse(this Opportunity deal, PipelineStage stage, string? customerName, DateTime now, int staleAfterDays,
        IReadOnlyList<StageStay>? history = null)
    {
        var probability = deal.ProbabilityOverride ?? stage.Probability;
        return new DealResponse(
            deal.Id, deal.Title, deal.Description, deal.Value, deal.Currency, deal.PipelineId,
            new DealStage(stage.Id, stage.Name, stage.Code, stage.Kind),
            probability, deal.ProbabilityOverride, decimal.Round(deal.Value * probability / 100m, 2),
            deal.ExpectedCloseOn, deal.CustomerId, customerName, deal.ContactId, deal.OwnerId, deal.Source, deal.Priority, deal.Status,
            deal.ClosedAt, deal.CloseReason, deal.LeadId, deal.StageEnteredAt, deal.LastActivityAt,
            Math.Max(0, (int)(now - deal.StageEnteredAt).TotalDays), IsStale(deal, now, staleAfterDays),
            deal.CreatedAt, deal.UpdatedAt, deal.Version, history);
    }

    /// <summary>
    /// Responses for deals already read through the access filter. The customer's name is read without
    /// the customer filter: a rep who owns a deal on a customer outside their reach still sees whom it is
    /// for (the deal itself says so), but nothing else of that customer.
    /// </summary>
    public static async Task<List<DealResponse>> ToResponsesAsync(AidaDb db, IReadOnlyCollection<Opportunity> deals, int staleAfterDays, CancellationToken cancellationToken)
    {
        var stageIds = deals.Select(d => d.StageId).Distinct().ToList();
        var customerIds = deals.Select(d => d.CustomerId).Distinct().ToList();
        var stages = await db.Set<PipelineStage>().AsNoTracking().Where(s => stageIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, cancellationToken);
        var names = await db.Set<Customer>().IgnoreQueryFilters().AsNoTracking().Where(c => customerIds.Contains(c.Id) && c.DeletedAt == null)
            .Select(c => new { c.Id, c.DisplayName }).ToDictionaryAsync(c => c.Id, c => c.DisplayName, cancellationToken);
        var now = db.Clock.UtcNow();
        return deals.Select(d => d.ToResponse(stages[d.StageId], names.GetValueOrDefault(d.CustomerId), now, staleAfterDays)).ToList();
    }

    public static async Task<DealResponse> ToResponseAsync(AidaDb db, Opportunity deal, int staleAfterDays, CancellationToken cancellationToken, bool withHistory = false)
    {
        var response = (await ToResponsesAsync(db, [deal], staleAfterDays, cancellationToken))[0];
        if (!withHistory)
        {
            return response;
        }

        var history = await (from h in db.Set<OpportunityStageHistory>().AsNoTracking()
                             join s in db.Set<PipelineStage>() on h.StageId equals s.Id
                             where h.OpportunityId == deal.Id
                             orderby h.EnteredAt, h.Id
                             select new StageStay(h.StageId, s.Name, s.Code, h.EnteredAt, h.LeftAt, h.MovedBy)).ToListAsync(cancellationToken);
        return response with { History = history };
    }
}
