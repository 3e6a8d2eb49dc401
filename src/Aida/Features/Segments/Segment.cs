namespace Aida.Features.Segments;

public enum SegmentType
{
    /// <summary>Members are added and removed by hand.</summary>
    Static,

    /// <summary>Members are the customers its criteria match, kept current by recalculation.</summary>
    Dynamic,
}

public enum SegmentRunKind
{
    /// <summary>Every customer evaluated.</summary>
    Full,

    /// <summary>Only customers changed since the segment's last run evaluated.</summary>
    Incremental,
}

/// <summary>Why a recalculation ran (segment_runs.reason).</summary>
public enum SegmentRunReason
{
    Created,
    CriteriaChanged,
    OnDemand,
    Scheduled,
    RelativeDates,
    Dependency,
    Periodic,
}

public enum SegmentRunStatus
{
    Running,
    Succeeded,
    Failed,
}

/// <summary>
/// A grouping of customers for targeting (spec 002 Segment, spec 004 customer_segments), static or dynamic.
/// <see cref="MemberCount"/> caches the full count (every customer, whoever asks); what a viewer is told is
/// the count in their reach. In an <see cref="ExclusionGroup"/>, a customer belongs only to the matching
/// segment of highest <see cref="Priority"/> (spec 002's "conflicting segment rules").
/// </summary>
public sealed class Segment : TrackedEntity
{
    public const int NameMaxLength = 100;
    public const int DescriptionMaxLength = 2000;
    public const int ExclusionGroupMaxLength = 50;

    public string Name { get; set; } = "";

    public string? Description { get; set; }

    public SegmentType Type { get; set; }

    /// <summary>The criteria document (README, "Segment criteria"); dynamic segments only.</summary>
    public string? Criteria { get; set; }

    public int Priority { get; set; }

    public string? ExclusionGroup { get; set; }

    public bool IsActive { get; set; } = true;

    public int MemberCount { get; set; }

    /// <summary>Customers its criteria match who belong to a higher-priority segment of its exclusion group instead (at its last full run).</summary>
    public int ConflictCount { get; set; }

    public DateTime? LastCalculatedAt { get; set; }

    /// <summary>When the last successful run started: the next incremental run looks at changes from here on.</summary>
    public DateTime? LastRunStartedAt { get; set; }

    public DateTime? LastFullRunAt { get; set; }

    /// <summary>Criteria, priority or group changed since the last run: the next one evaluates everyone.</summary>
    public bool NeedsFullRun { get; set; }

    public Guid CreatedBy { get; set; }
}

/// <summary>A customer in a segment: added by hand (static) or by recalculation (dynamic).</summary>
public sealed class SegmentMember
{
    public Guid SegmentId { get; init; }

    public Guid CustomerId { get; init; }

    public DateTime AddedAt { get; init; }
}

/// <summary>One recalculation and its counts: every background run is logged here.</summary>
public sealed class SegmentRun
{
    public const int ErrorMaxLength = 500;

    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid SegmentId { get; init; }

    public SegmentRunKind Kind { get; init; }

    public SegmentRunReason Reason { get; init; }

    public DateTime StartedAt { get; init; }

    public DateTime? FinishedAt { get; set; }

    public int Evaluated { get; set; }

    public int Added { get; set; }

    public int Removed { get; set; }

    public int MemberCount { get; set; }

    public int Conflicts { get; set; }

    public SegmentRunStatus Status { get; set; }

    public string? Error { get; set; }
}

/// <summary>A segment's full size at the end of a day (its last run that day), for size over time.</summary>
public sealed class SegmentSize
{
    public Guid SegmentId { get; init; }

    public DateOnly Day { get; init; }

    public int MemberCount { get; init; }
}

public sealed class SegmentConfiguration : IEntityTypeConfiguration<Segment>
{
    public void Configure(EntityTypeBuilder<Segment> builder)
    {
        builder.ToTable("segments");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Name).HasMaxLength(Segment.NameMaxLength);
        builder.Property(s => s.Description).HasMaxLength(Segment.DescriptionMaxLength);
        builder.Property(s => s.ExclusionGroup).HasMaxLength(Segment.ExclusionGroupMaxLength);
        builder.Property(s => s.Criteria).IsJson();
        builder.Property(s => s.Version).IsConcurrencyToken();
        builder.HasOne<User>().WithMany().HasForeignKey(s => s.CreatedBy).OnDelete(DeleteBehavior.Restrict);
        // Derived figures a recalculation keeps; not changes anyone made.
        builder.Property(s => s.ConflictCount).NotAudited();
        builder.Property(s => s.LastCalculatedAt).NotAudited();
        builder.Property(s => s.LastRunStartedAt).NotAudited();
        builder.Property(s => s.LastFullRunAt).NotAudited();
        builder.Property(s => s.NeedsFullRun).NotAudited();
        builder.Ignore(s => s.IsDeleted);
        DbErrors.RegisterUnique("ux_segments_name", "segments.name", "name", "Another segment already has this name.");
    }
}

public sealed class SegmentMemberConfiguration : IEntityTypeConfiguration<SegmentMember>
{
    public void Configure(EntityTypeBuilder<SegmentMember> builder)
    {
        builder.ToTable("segment_members");
        builder.HasKey(m => new { m.SegmentId, m.CustomerId });
        builder.HasOne<Segment>().WithMany().HasForeignKey(m => m.SegmentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Customers.Customer>().WithMany().HasForeignKey(m => m.CustomerId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class SegmentRunConfiguration : IEntityTypeConfiguration<SegmentRun>
{
    public void Configure(EntityTypeBuilder<SegmentRun> builder)
    {
        builder.ToTable("segment_runs");
        builder.HasKey(r => r.Id);
        builder.HasOne<Segment>().WithMany().HasForeignKey(r => r.SegmentId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(r => r.Error).HasMaxLength(SegmentRun.ErrorMaxLength);
    }
}

public sealed class SegmentSizeConfiguration : IEntityTypeConfiguration<SegmentSize>
{
    public void Configure(EntityTypeBuilder<SegmentSize> builder)
    {
        builder.ToTable("segment_sizes");
        builder.HasKey(s => new { s.SegmentId, s.Day });
        builder.HasOne<Segment>().WithMany().HasForeignKey(s => s.SegmentId).OnDelete(DeleteBehavior.Restrict);
    }
}
