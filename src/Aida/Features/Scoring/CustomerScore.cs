using Aida.Features.Customers;

namespace Aida.Features.Scoring;

/// <summary>The five scores of spec 002's Score entity.</summary>
public enum ScoreType
{
    Health,
    Engagement,
    Value,
    ChurnRisk,
    UpsellPotential,
}

/// <summary>
/// One computed score of one customer (spec 002 Score): a weighted average of normalised factors, 0–100,
/// its grade and the breakdown (<c>{factor: {weight, raw, weighted}}</c>). Computed, not edited: scores are
/// rewritten in bulk by <see cref="ScoreCalculator"/> and are not audited (the audit log records what
/// people change; a million scores a night would drown it). The rules they come from are audited.
/// </summary>
public sealed class CustomerScore
{
    public const int GradeMaxLength = 1;

    /// <summary>Spec 002's edge case: a score older than this is shown as stale.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromDays(7);

    /// <summary>The unique key a recalculation replaces a score by: one score per customer and type.</summary>
    public static readonly string[] UniqueKey = ["customer_id", "score_type"];

    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid CustomerId { get; init; }

    public ScoreType ScoreType { get; init; }

    public int ScoreValue { get; init; }

    public required string Grade { get; init; }

    /// <summary>JSON: <c>{"factorName": {"weight": 0.2, "raw": 85, "weighted": 17}}</c>.</summary>
    public required string Factors { get; init; }

    /// <summary>Spec 002's "no scoring data": nothing to score from, so the default score, flagged for review.</summary>
    public bool InsufficientData { get; init; }

    public DateTime CalculatedAt { get; init; }

    /// <summary>When the next daily recalculation replaces it.</summary>
    public DateTime? ValidUntil { get; init; }

    public bool IsStale(DateTime now) => now - CalculatedAt > StaleAfter;
}

public sealed class CustomerScoreConfiguration : IEntityTypeConfiguration<CustomerScore>
{
    public void Configure(EntityTypeBuilder<CustomerScore> builder)
    {
        builder.ToTable("customer_scores");
        builder.HasKey(s => s.Id);
        builder.HasOne<Customer>().WithMany().HasForeignKey(s => s.CustomerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(s => new { s.CustomerId, s.ScoreType }).IsUnique();
        builder.Property(s => s.Grade).HasMaxLength(CustomerScore.GradeMaxLength);
        builder.Property(s => s.Factors).IsJson();
    }
}

/// <summary>A customer whose factors changed, waiting to be rescored by <see cref="ScoringQueueJob"/> (seconds later).</summary>
public sealed class ScoringQueueEntry
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid CustomerId { get; init; }

    public DateTime QueuedAt { get; init; }
}

public sealed class ScoringQueueEntryConfiguration : IEntityTypeConfiguration<ScoringQueueEntry>
{
    public void Configure(EntityTypeBuilder<ScoringQueueEntry> builder)
    {
        builder.ToTable("scoring_queue");
        builder.HasKey(q => q.Id);
        builder.HasOne<Customer>().WithMany().HasForeignKey(q => q.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>
/// How many customers of one owner had health in one grade on one day: the HealthDashboard trend. Kept per
/// owner, not per customer, so the trend stays small and still honours reach (a viewer sums the owners they reach).
/// </summary>
public sealed class HealthSnapshot
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public DateOnly Day { get; init; }

    public Guid? OwnerId { get; init; }

    public required string Grade { get; init; }

    public int CustomerCount { get; init; }
}

public sealed class HealthSnapshotConfiguration : IEntityTypeConfiguration<HealthSnapshot>
{
    public void Configure(EntityTypeBuilder<HealthSnapshot> builder)
    {
        builder.ToTable("health_snapshots");
        builder.HasKey(s => s.Id);
        builder.HasOne<User>().WithMany().HasForeignKey(s => s.OwnerId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(s => s.Grade).HasMaxLength(CustomerScore.GradeMaxLength);
    }
}

public enum ScoringRunTrigger
{
    Schedule,
    Manual,
}

public enum ScoringRunStatus
{
    Running,
    Completed,
    Failed,
}

/// <summary>
/// A full recalculation of every customer's scores, chunk by chunk in customer-id order. Each chunk commits
/// with the run's cursor (<see cref="ResumeAfter"/>), so a run stopped by a restart or a time budget
/// (spec 002: "process in chunks, continue on timeout") resumes where it stopped.
/// </summary>
public sealed class ScoringRun
{
    public const int ErrorMaxLength = 500;

    public Guid Id { get; init; } = Guid.CreateVersion7();

    public ScoringRunTrigger Trigger { get; init; }

    public ScoringRunStatus Status { get; set; }

    public DateTime StartedAt { get; init; }

    public DateTime UpdatedAt { get; set; }

    public DateTime? FinishedAt { get; set; }

    public Guid? StartedBy { get; init; }

    /// <summary>The last customer id scored; the next chunk starts after it.</summary>
    public Guid? ResumeAfter { get; set; }

    public int Chunks { get; set; }

    public int CustomersScored { get; set; }

    public int Crossings { get; set; }

    public string? Error { get; set; }
}

public sealed class ScoringRunConfiguration : IEntityTypeConfiguration<ScoringRun>
{
    public void Configure(EntityTypeBuilder<ScoringRun> builder)
    {
        builder.ToTable("scoring_runs");
        builder.HasKey(r => r.Id);
        builder.HasOne<User>().WithMany().HasForeignKey(r => r.StartedBy).OnDelete(DeleteBehavior.Restrict);
        builder.Property(r => r.Error).HasMaxLength(ScoringRun.ErrorMaxLength);
    }
}

/// <summary>
/// A row of <c>health_grade_counts</c>, the count table (<see cref="CountTable"/>) of live customers' health
/// per owner, grade and whether it had too little data: the HealthDashboard's distribution. Scoring appends
/// the changes of the scores it writes (<see cref="ScoreCalculator"/>); a trigger on customers (migration
/// 0013) moves a customer's health when it is reassigned, deleted or restored.
/// </summary>
public sealed class HealthGradeCount
{
    public static readonly CountTable Table = new("health_grade_counts", ["owner_id", "grade", "insufficient_data"], "customers");

    public long Id { get; init; }

    public Guid? OwnerId { get; init; }

    public required string Grade { get; init; }

    public bool InsufficientData { get; init; }

    public int Customers { get; init; }
}

public sealed class HealthGradeCountConfiguration : IEntityTypeConfiguration<HealthGradeCount>
{
    public void Configure(EntityTypeBuilder<HealthGradeCount> builder)
    {
        builder.ToTable(HealthGradeCount.Table.Table);
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedOnAdd();
        builder.Property(c => c.Grade).HasMaxLength(CustomerScore.GradeMaxLength);
    }
}
