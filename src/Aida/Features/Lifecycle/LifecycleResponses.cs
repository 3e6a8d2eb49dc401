namespace Aida.Features.Lifecycle;

public sealed record LifecycleStageResponse(
    Guid Id,
    string Name,
    string Code,
    int DisplayOrder,
    StageCategory Category,
    AidaPhase Phase,
    string? Color,
    string? Description,
    bool IsActive,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    int Version);

/// <summary>A stage as other records name it.</summary>
public sealed record StageSummary(Guid Id, string Name, string Code, StageCategory Category, AidaPhase Phase, string? Color);

public sealed record TransitionResponse(Guid Id, StageSummary From, StageSummary To, bool RequiresApproval);

/// <summary>A move the customer's current stage allows, and whether it waits for a manager.</summary>
public sealed record AllowedMove(StageSummary To, bool RequiresApproval);

public sealed record CustomerLifecycleResponse(
    Guid CustomerId,
    StageSummary Stage,
    DateTime EnteredStageAt,
    int DaysInStage,
    StageSummary? PreviousStage,
    DateOnly? FirstPurchaseDate,
    DateOnly? LastPurchaseDate,
    decimal TotalRevenue,
    int PurchaseCount,
    IReadOnlyList<AllowedMove> AllowedMoves,
    StageChangeRequestResponse? PendingRequest,
    DateTime UpdatedAt,
    int Version);

public sealed record HistoryEntryResponse(
    Guid Id,
    StageSummary? From,
    StageSummary To,
    DateTime ChangedAt,
    Guid? ChangedBy,
    Guid? ApprovedBy,
    string? Reason,
    StageChangeTrigger Trigger,
    string? RuleName,
    bool IsOverride);

public sealed record StageChangeRequestResponse(
    Guid Id,
    Guid CustomerId,
    StageSummary From,
    StageSummary To,
    string? Reason,
    StageChangeTrigger Trigger,
    StageChangeRequestStatus Status,
    Guid? RequestedBy,
    DateTime RequestedAt,
    Guid? DecidedBy,
    DateTime? DecidedAt,
    string? DecisionNote,
    int Version);

public static class LifecycleMapping
{
    public static LifecycleStageResponse ToResponse(this LifecycleStage s) =>
        new(s.Id, s.Name, s.Code, s.DisplayOrder, s.Category, s.Phase, s.Color, s.Description, s.IsActive, s.CreatedAt, s.UpdatedAt, s.Version);

    public static StageSummary ToSummary(this LifecycleStage s) => new(s.Id, s.Name, s.Code, s.Category, s.Phase, s.Color);

    public static StageChangeRequestResponse ToResponse(this StageChangeRequest r, StageCatalog stages) =>
        new(r.Id, r.CustomerId, stages.Summary(r.FromStageId), stages.Summary(r.ToStageId), r.Reason, r.Trigger, r.Status,
            r.RequestedBy, r.CreatedAt, r.DecidedBy, r.DecidedAt, r.DecisionNote, r.Version);

    public static HistoryEntryResponse ToResponse(this LifecycleHistory h, StageCatalog stages) =>
        new(h.Id, h.FromStageId is { } from ? stages.Summary(from) : null, stages.Summary(h.ToStageId), h.ChangedAt, h.ChangedBy,
            h.ApprovedBy, h.Reason, h.Trigger, h.RuleName, h.IsOverride);

    /// <summary>Events of a customer's lifecycle belong to the customer, so they reach whoever reaches it.</summary>
    public static string Subject(Guid customerId) => $"customers/{customerId}/lifecycle";

    public static string StageSubject(LifecycleStage stage) => $"lifecycle-stages/{stage.Id}";
}
