namespace Aida.Features.Customers.Merges;

/// <summary>
/// One merge of customers (spec 002 WF-CM-002): the survivor, who did it, and the survivor's merged fields
/// before and after, so an undo within <see cref="UndoWindow"/> can give back what the merge overwrote
/// and keep what was changed since.
/// </summary>
public sealed class CustomerMerge : AuditedEntity
{
    /// <summary>"Merge is reversible for 30 days" (WF-CM-002 postconditions).</summary>
    public static readonly TimeSpan UndoWindow = TimeSpan.FromDays(30);

    /// <summary>At most this many customers in one merge (issue 17).</summary>
    public const int MaxCustomers = 10;

    public Guid SurvivorId { get; set; }

    public Guid PerformedBy { get; set; }

    public DateTime UndoableUntil { get; set; }

    public DateTime? UndoneAt { get; set; }

    public Guid? UndoneBy { get; set; }

    /// <summary>The survivor's merged fields before the merge, as text by field name (<see cref="MergeFields"/>).</summary>
    public string SurvivorBefore { get; set; } = "{}";

    /// <summary>The survivor's merged fields as the merge left them.</summary>
    public string SurvivorAfter { get; set; } = "{}";

    public override Guid? AuditCustomerId => SurvivorId;
}

/// <summary>A customer merged away into the survivor; its external id stays an alias of the survivor.</summary>
public sealed class CustomerMergeSource
{
    public Guid MergeId { get; set; }

    public Guid CustomerId { get; set; }

    public string? ExternalId { get; set; }
}

/// <summary>
/// One row changed by a merge: a child re-parented (<see cref="FromCustomerId"/> held the old parent), a flag
/// cleared (a second primary contact or default address) or a row soft-deleted (a relationship that would
/// link the survivor to itself or repeat one it has). Written and undone by set-based SQL (<see cref="MergeChildren"/>).
/// </summary>
public sealed class CustomerMergeMove
{
    public Guid MergeId { get; set; }

    public string TableName { get; set; } = "";

    public string ColumnName { get; set; } = "";

    public Guid RecordId { get; set; }

    public string Kind { get; set; } = "";

    public Guid? FromCustomerId { get; set; }
}

public sealed class CustomerMergeConfiguration :
    IEntityTypeConfiguration<CustomerMerge>, IEntityTypeConfiguration<CustomerMergeSource>, IEntityTypeConfiguration<CustomerMergeMove>
{
    public void Configure(EntityTypeBuilder<CustomerMerge> builder)
    {
        builder.ToTable("customer_merges");
        builder.HasKey(m => m.Id);
        builder.HasOne<Customer>().WithMany().HasForeignKey(m => m.SurvivorId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(m => m.Version).IsConcurrencyToken();
        // Field values are in the customers' own audit entries already.
        builder.Property(m => m.SurvivorBefore).NotAudited();
        builder.Property(m => m.SurvivorAfter).NotAudited();
    }

    public void Configure(EntityTypeBuilder<CustomerMergeSource> builder)
    {
        builder.ToTable("customer_merge_sources");
        builder.HasKey(s => new { s.MergeId, s.CustomerId });
        builder.HasOne<CustomerMerge>().WithMany().HasForeignKey(s => s.MergeId).OnDelete(DeleteBehavior.Restrict);
    }

    public void Configure(EntityTypeBuilder<CustomerMergeMove> builder)
    {
        builder.ToTable("customer_merge_moves");
        builder.HasKey(m => new { m.MergeId, m.TableName, m.ColumnName, m.RecordId });
    }
}
