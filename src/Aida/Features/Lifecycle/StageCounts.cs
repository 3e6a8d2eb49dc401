using Aida.Features.Customers;

namespace Aida.Features.Lifecycle;

/// <summary>
/// A row of <c>lifecycle_stage_counts</c>, the count table (<see cref="CountTable"/>) of live customers per
/// owner and stage. Only the database writes it: triggers on customer_lifecycles and customers (migration
/// 0013) append a +1 or -1 row whenever a customer is placed, moves stage, is reassigned, deleted or restored.
/// </summary>
public sealed class LifecycleStageCount
{
    public static readonly CountTable Table = new("lifecycle_stage_counts", ["owner_id", "stage_id"], "customers");

    public long Id { get; init; }

    public Guid? OwnerId { get; init; }

    public Guid StageId { get; init; }

    public int Customers { get; init; }
}

public sealed class LifecycleStageCountConfiguration : IEntityTypeConfiguration<LifecycleStageCount>
{
    public void Configure(EntityTypeBuilder<LifecycleStageCount> builder)
    {
        builder.ToTable(LifecycleStageCount.Table.Table);
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedOnAdd();
    }
}

public static class StageCounts
{
    /// <summary>Live customers per stage among the owners <paramref name="reach"/> covers: a sum over a few rows per owner and stage.</summary>
    public static Task<Dictionary<Guid, int>> InReachAsync(AidaDb db, OwnerReach reach, CancellationToken cancellationToken)
    {
        return reach.Filter(db.Set<LifecycleStageCount>().AsNoTracking(), c => c.OwnerId)
            .GroupBy(c => c.StageId)
            .Select(g => new { StageId = g.Key, Customers = g.Sum(c => c.Customers) })
            .ToDictionaryAsync(x => x.StageId, x => x.Customers, cancellationToken);
    }
}
