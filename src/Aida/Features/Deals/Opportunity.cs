using Aida.Features.Customers;
using Aida.Features.Customers.Contacts;

namespace Aida.Features.Deals;

public enum DealStatus
{
    Open,
    Won,
    Lost,
}

public enum DealPriority
{
    Low,
    Medium,
    High,
    Urgent,
}

/// <summary>
/// A deal (spec 001 <c>crm_opportunities</c>): what may be sold to a customer, for how much, how likely and
/// when, in which stage of which pipeline. <see cref="Status"/> follows the stage's kind; closing needs a reason.
/// </summary>
public sealed class Opportunity : TrackedEntity
{
    public const int TitleMaxLength = 255;
    public const int DescriptionMaxLength = 10_000;
    public const int SourceMaxLength = 100;
    public const int ReasonMaxLength = 500;

    public string Title { get; set; } = "";

    public string? Description { get; set; }

    public decimal Value { get; set; }

    /// <summary>ISO 4217.</summary>
    public string Currency { get; set; } = "USD";

    public Guid PipelineId { get; set; }

    public Guid StageId { get; set; }

    /// <summary>0–100, set by hand; null means the stage's default probability.</summary>
    public int? ProbabilityOverride { get; set; }

    public DateOnly? ExpectedCloseOn { get; set; }

    public Guid CustomerId { get; set; }

    public Guid? ContactId { get; set; }

    public Guid? OwnerId { get; set; }

    public string? Source { get; set; }

    public DealPriority Priority { get; set; } = DealPriority.Medium;

    public DealStatus Status { get; set; }

    public DateTime? ClosedAt { get; set; }

    /// <summary>Why it was won or lost: required when it closes.</summary>
    public string? CloseReason { get; set; }

    /// <summary>The lead it was converted from, if any.</summary>
    public Guid? LeadId { get; set; }

    public DateTime StageEnteredAt { get; set; }

    /// <summary>The last change, stage move or logged interaction: a deal quiet for too long is stale.</summary>
    public DateTime LastActivityAt { get; set; }

    /// <summary>When the owner was told the deal went stale; told again only after new activity and another quiet spell.</summary>
    public DateTime? StaleNotifiedAt { get; set; }

    public override Guid? AuditCustomerId => CustomerId;
}

/// <summary>One stay of a deal in a stage: entered, left (null while it is there), and who moved it in.</summary>
public sealed class OpportunityStageHistory
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid OpportunityId { get; set; }

    public Guid StageId { get; set; }

    public DateTime EnteredAt { get; set; }

    public DateTime? LeftAt { get; set; }

    public Guid? MovedBy { get; set; }
}

public sealed class OpportunityConfiguration : IEntityTypeConfiguration<Opportunity>
{
    public void Configure(EntityTypeBuilder<Opportunity> builder)
    {
        builder.ToTable("opportunities");
        builder.HasKey(o => o.Id);
        builder.HasOne<Customer>().WithMany().HasForeignKey(o => o.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Contact>().WithMany().HasForeignKey(o => o.ContactId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Pipeline>().WithMany().HasForeignKey(o => o.PipelineId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<PipelineStage>().WithMany().HasForeignKey(o => o.StageId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(o => o.Title).HasMaxLength(Opportunity.TitleMaxLength);
        builder.Property(o => o.Currency).HasMaxLength(3);
        builder.Property(o => o.Source).HasMaxLength(Opportunity.SourceMaxLength);
        builder.Property(o => o.CloseReason).HasMaxLength(Opportunity.ReasonMaxLength);
        builder.Property(o => o.Value).HasPrecision(15, 2);
        builder.Property(o => o.Version).IsConcurrencyToken();
        builder.Property(o => o.LastActivityAt).NotAudited();
        builder.Property(o => o.StaleNotifiedAt).NotAudited();
        builder.Ignore(o => o.IsDeleted);
    }
}

public sealed class OpportunityStageHistoryConfiguration : IEntityTypeConfiguration<OpportunityStageHistory>
{
    public void Configure(EntityTypeBuilder<OpportunityStageHistory> builder)
    {
        builder.ToTable("opportunity_stage_history");
        builder.HasKey(h => h.Id);
        builder.HasOne<Opportunity>().WithMany().HasForeignKey(h => h.OpportunityId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<PipelineStage>().WithMany().HasForeignKey(h => h.StageId).OnDelete(DeleteBehavior.Restrict);
    }
}
