using Aida.Features.Customers;

namespace Aida.Features.Lifecycle;

public enum StageChangeRequestStatus
{
    Pending,
    Approved,
    Rejected,
    Withdrawn,
}

/// <summary>
/// A move whose transition rule requires approval, waiting for a manager (WF-LC-001 step 3). A customer
/// has at most one pending request; it applies only when approved, and only if the customer is still in
/// the stage it was asked from.
/// </summary>
public sealed class StageChangeRequest : AuditedEntity
{
    public const int NoteMaxLength = 500;

    public Guid CustomerId { get; set; }

    public Guid FromStageId { get; set; }

    public Guid ToStageId { get; set; }

    public string? Reason { get; set; }

    public StageChangeTrigger Trigger { get; set; }

    public StageChangeRequestStatus Status { get; set; }

    public Guid? RequestedBy { get; set; }

    public Guid? DecidedBy { get; set; }

    public DateTime? DecidedAt { get; set; }

    public string? DecisionNote { get; set; }

    public override Guid? AuditCustomerId => CustomerId;
}

public sealed class StageChangeRequestConfiguration : IEntityTypeConfiguration<StageChangeRequest>
{
    public void Configure(EntityTypeBuilder<StageChangeRequest> builder)
    {
        builder.ToTable("stage_change_requests");
        builder.HasKey(r => r.Id);
        builder.HasOne<Customer>().WithMany().HasForeignKey(r => r.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<LifecycleStage>().WithMany().HasForeignKey(r => r.FromStageId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<LifecycleStage>().WithMany().HasForeignKey(r => r.ToStageId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(r => r.Reason).HasMaxLength(LifecycleHistory.ReasonMaxLength);
        builder.Property(r => r.DecisionNote).HasMaxLength(StageChangeRequest.NoteMaxLength);
        builder.Property(r => r.Version).IsConcurrencyToken();
        DbErrors.RegisterUnique("ux_stage_change_requests_pending", "stage_change_requests.customer_id", "stageId",
            "A stage change for this customer is already waiting for approval.");
    }
}

/// <summary>
/// Record-level access: a customer's lifecycle, history and requests exist for whoever reaches the
/// customer, and for nobody else (404, as for the customer). Unlike the customer's own child records
/// these are not soft-deleted with it, so the customer is looked up for every reader.
/// </summary>
public sealed class LifecycleAccess : IRecordFilters
{
    public void Apply(ModelBuilder modelBuilder, AidaDb db)
    {
        modelBuilder.Entity<CustomerLifecycle>().HasQueryFilter(l => db.Set<Customer>().Any(c => c.Id == l.Id));
        modelBuilder.Entity<LifecycleHistory>().HasQueryFilter(h => db.Set<Customer>().Any(c => c.Id == h.CustomerId));
        modelBuilder.Entity<StageChangeRequest>().HasQueryFilter(r => db.Set<Customer>().Any(c => c.Id == r.CustomerId));
    }
}
