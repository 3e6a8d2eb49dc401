namespace Aida.Features.Lifecycle.Pages;

/// <summary>
/// What the Lifecycle tab shows: the customer's stage and its moves, its history, every stage for an
/// administrator's override, its value with the latest purchases, and its journey milestones.
/// </summary>
public sealed record LifecycleTabView(
    CustomerLifecycleResponse Lifecycle,
    IReadOnlyList<HistoryEntryResponse> History,
    IReadOnlyList<LifecycleStageResponse> Stages,
    UserDirectory Users,
    CustomerValueResponse Value,
    IReadOnlyList<PurchaseResponse> RecentPurchases,
    IReadOnlyList<MilestoneResponse> Milestones)
{
    public const int RecentPurchaseCount = 5;
    public const int MilestoneCount = 20;
}
