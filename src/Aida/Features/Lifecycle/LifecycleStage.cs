namespace Aida.Features.Lifecycle;

/// <summary>Spec 002's grouping of stages: before, during and after being a customer.</summary>
public enum StageCategory
{
    PreCustomer,
    Customer,
    PostCustomer,
}

/// <summary>Spec 000's four steps of the AIDA life-cycle; every stage sits in one, for the AIDA board.</summary>
public enum AidaPhase
{
    Capture,
    Connect,
    Convert,
    Retain,
}

/// <summary>
/// A stage a customer can be in (spec 002 LifecycleStage). The defaults, seeded by migration 0008 with
/// fixed ids, are spec 002's seven plus spec 004's Advocacy; administrators rename, recolour, reorder,
/// deactivate and add stages. A stage that holds customers cannot be deleted (AC-2).
/// </summary>
public sealed class LifecycleStage : TrackedEntity
{
    public const int NameMaxLength = 100;
    public const int CodeMaxLength = 50;
    public const int DescriptionMaxLength = 2000;
    public const int ColorLength = 7;

    public static readonly Guid LeadId = Guid.Parse("01900000-0000-7000-8000-000000000101");
    public static readonly Guid ProspectId = Guid.Parse("01900000-0000-7000-8000-000000000102");
    public static readonly Guid OpportunityId = Guid.Parse("01900000-0000-7000-8000-000000000103");
    public static readonly Guid CustomerId = Guid.Parse("01900000-0000-7000-8000-000000000104");
    public static readonly Guid AtRiskId = Guid.Parse("01900000-0000-7000-8000-000000000105");
    public static readonly Guid ChurnedId = Guid.Parse("01900000-0000-7000-8000-000000000106");
    public static readonly Guid WonBackId = Guid.Parse("01900000-0000-7000-8000-000000000107");
    public static readonly Guid AdvocacyId = Guid.Parse("01900000-0000-7000-8000-000000000108");

    public string Name { get; set; } = "";

    /// <summary>Stable snake-case name for integrations and rules (<c>at_risk</c>, <c>won_back</c>, …).</summary>
    public string Code { get; set; } = "";

    public int DisplayOrder { get; set; }

    public StageCategory Category { get; set; }

    public AidaPhase Phase { get; set; }

    /// <summary><c>#rrggbb</c>, for the stage's badge.</summary>
    public string? Color { get; set; }

    public string? Description { get; set; }

    /// <summary>An inactive stage keeps its customers and history but takes no new ones.</summary>
    public bool IsActive { get; set; } = true;
}

/// <summary>One allowed move (WF-LC-001's stage_transition_rules); a move with none is refused unless overridden.</summary>
public sealed class StageTransitionRule : AuditedEntity
{
    public Guid FromStageId { get; set; }

    public Guid ToStageId { get; set; }

    /// <summary>The move waits for a manager's approval (WF-LC-001 step 3) unless a manager makes it.</summary>
    public bool RequiresApproval { get; set; }
}

public sealed class LifecycleStageConfiguration : IEntityTypeConfiguration<LifecycleStage>
{
    public void Configure(EntityTypeBuilder<LifecycleStage> builder)
    {
        builder.ToTable("lifecycle_stages");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Name).HasMaxLength(LifecycleStage.NameMaxLength);
        builder.Property(s => s.Code).HasMaxLength(LifecycleStage.CodeMaxLength);
        builder.Property(s => s.Description).HasMaxLength(LifecycleStage.DescriptionMaxLength);
        builder.Property(s => s.Color).HasMaxLength(LifecycleStage.ColorLength);
        builder.Property(s => s.Version).IsConcurrencyToken();
        builder.Ignore(s => s.IsDeleted);
        builder.HasQueryFilter(s => s.DeletedAt == null);
        DbErrors.RegisterUnique("ux_lifecycle_stages_code", "lifecycle_stages.code", "code", "Another stage already has this code.");
    }
}

public sealed class StageTransitionRuleConfiguration : IEntityTypeConfiguration<StageTransitionRule>
{
    public void Configure(EntityTypeBuilder<StageTransitionRule> builder)
    {
        builder.ToTable("stage_transition_rules");
        builder.HasKey(r => r.Id);
        builder.HasOne<LifecycleStage>().WithMany().HasForeignKey(r => r.FromStageId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<LifecycleStage>().WithMany().HasForeignKey(r => r.ToStageId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(r => r.Version).IsConcurrencyToken();
    }
}
