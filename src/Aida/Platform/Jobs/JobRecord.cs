namespace Aida.Platform.Jobs;

/// <summary>
/// One background job's row in <c>jobs</c>: who holds its lease (node and until when), when it is due, and
/// how its last run went. The row is the only coordination between nodes: a node runs a job after it moved
/// the lease to itself with a conditional update, which on PostgreSQL exactly one node can win.
/// </summary>
public sealed class JobRecord
{
    public const int ErrorMaxLength = 1000;

    public required string Name { get; init; }

    /// <summary>The node running it now (<see cref="JobScheduler.NodeId"/>), or null.</summary>
    public string? LeaseOwner { get; set; }

    /// <summary>When the lease lapses unless renewed; a node that died stops renewing and another takes over then.</summary>
    public DateTime? LeaseExpiresAt { get; set; }

    public DateTime NextRunAt { get; set; }

    /// <summary>Set by "run now" on any node: the job is due whatever <see cref="NextRunAt"/> says.</summary>
    public DateTime? RunRequestedAt { get; set; }

    public DateTime? LastStartedAt { get; set; }

    public DateTime? LastFinishedAt { get; set; }

    public long? LastDurationMs { get; set; }

    public int? LastItems { get; set; }

    public bool? LastSucceeded { get; set; }

    /// <summary>The exception's type and message of the last failed run (no stack; never a secret by convention of the jobs' messages).</summary>
    public string? LastError { get; set; }

    /// <summary>The node that ran it last.</summary>
    public string? LastNode { get; set; }

    public long Runs { get; set; }

    public long Failures { get; set; }

    /// <summary>Failed runs since the last success: the jobs screen flags a job that keeps failing.</summary>
    public int ConsecutiveFailures { get; set; }
}

public sealed class JobRecordConfiguration : IEntityTypeConfiguration<JobRecord>
{
    public void Configure(EntityTypeBuilder<JobRecord> builder)
    {
        builder.ToTable("jobs");
        builder.HasKey(j => j.Name);
        builder.Property(j => j.LastError).HasMaxLength(JobRecord.ErrorMaxLength);
    }
}
