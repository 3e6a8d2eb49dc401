namespace Aida.Features.Lifecycle.Pages;

/// <summary>What the Lifecycle tab shows: the customer's stage and its moves, its history, and every stage for an administrator's override.</summary>
public sealed record LifecycleTabView(
    CustomerLifecycleResponse Lifecycle,
    IReadOnlyList<HistoryEntryResponse> History,
    IReadOnlyList<LifecycleStageResponse> Stages,
    UserDirectory Users);
