using Aida.Features.Customers;

namespace Aida.Features.Lifecycle;

/// <summary>What started a stage change (spec 002 LifecycleHistory.trigger).</summary>
public enum StageChangeTrigger
{
    /// <summary>Someone in the web UI.</summary>
    Manual,

    /// <summary>An automatic rule (a deal won, health fallen); the rule's name is recorded with it.</summary>
    Rule,

    /// <summary>An integration through the REST API.</summary>
    Api,

    /// <summary>Aida itself (a migration, a merge).</summary>
    System,
}

/// <summary>
/// A customer's place in the lifecycle (spec 002 CustomerLifecycle): one row per customer, keyed by the
/// customer's id. Migration 0008's trigger places every new customer, so every customer has one. The
/// purchase figures are kept here, in the save of each purchase (<see cref="RecordPurchase"/>), for segments, scores and value.
/// </summary>
public sealed class CustomerLifecycle : AuditedEntity
{
    /// <summary>The customer's id, which is also this row's.</summary>
    public Guid CustomerId => Id;

    public Guid CurrentStageId { get; set; }

    public DateTime EnteredStageAt { get; set; }

    public Guid? PreviousStageId { get; set; }

    public DateOnly? FirstPurchaseDate { get; set; }

    public DateOnly? LastPurchaseDate { get; set; }

    public decimal TotalRevenue { get; set; }

    public int PurchaseCount { get; set; }

    /// <summary>The currency of <see cref="TotalRevenue"/>: the first purchase's. Null before any purchase.</summary>
    public string? PurchaseCurrency { get; set; }

    public override Guid? AuditCustomerId => Id;
}

/// <summary>
/// One stage change (spec 002 LifecycleHistory). Immutable (AC-1): there is no update or delete path in
/// the code, and the database refuses both (migration 0008's triggers).
/// </summary>
public sealed class LifecycleHistory
{
    public const int ReasonMaxLength = 500;
    public const int RuleNameMaxLength = 100;

    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid CustomerId { get; init; }

    public Guid? FromStageId { get; init; }

    public Guid ToStageId { get; init; }

    public DateTime ChangedAt { get; init; }

    /// <summary>Who made or asked for the change; null when Aida made it.</summary>
    public Guid? ChangedBy { get; init; }

    /// <summary>The manager who approved a change that required approval.</summary>
    public Guid? ApprovedBy { get; init; }

    public string? Reason { get; init; }

    public StageChangeTrigger Trigger { get; init; }

    /// <summary>The automatic rule that made a <see cref="StageChangeTrigger.Rule"/> change.</summary>
    public string? RuleName { get; init; }

    /// <summary>An administrator made a move the transition rules do not allow.</summary>
    public bool IsOverride { get; init; }
}

public sealed class CustomerLifecycleConfiguration : IEntityTypeConfiguration<CustomerLifecycle>
{
    public void Configure(EntityTypeBuilder<CustomerLifecycle> builder)
    {
        builder.ToTable("customer_lifecycles");
        builder.HasKey(l => l.Id);
        builder.Property(l => l.Id).HasColumnName("customer_id");
        builder.Ignore(l => l.CustomerId);
        builder.HasOne<Customer>().WithOne().HasForeignKey<CustomerLifecycle>(l => l.Id).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<LifecycleStage>().WithMany().HasForeignKey(l => l.CurrentStageId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<LifecycleStage>().WithMany().HasForeignKey(l => l.PreviousStageId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(l => l.TotalRevenue).HasPrecision(15, 2);
        builder.Property(l => l.PurchaseCurrency).HasMaxLength(3);
        builder.Property(l => l.Version).IsConcurrencyToken();
    }
}

public sealed class LifecycleHistoryConfiguration : IEntityTypeConfiguration<LifecycleHistory>
{
    public void Configure(EntityTypeBuilder<LifecycleHistory> builder)
    {
        builder.ToTable("lifecycle_history");
        builder.HasKey(h => h.Id);
        builder.HasOne<Customer>().WithMany().HasForeignKey(h => h.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<LifecycleStage>().WithMany().HasForeignKey(h => h.FromStageId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<LifecycleStage>().WithMany().HasForeignKey(h => h.ToStageId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(h => h.Reason).HasMaxLength(LifecycleHistory.ReasonMaxLength);
        builder.Property(h => h.RuleName).HasMaxLength(LifecycleHistory.RuleNameMaxLength);
    }
}
