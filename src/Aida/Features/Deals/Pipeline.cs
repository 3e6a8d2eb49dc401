namespace Aida.Features.Deals;

/// <summary>Whether a stage holds open deals or closes them, and how.</summary>
public enum StageKind
{
    Open,
    Won,
    Lost,
}

/// <summary>
/// A sales pipeline: an ordered set of stages deals move through. The default one (seeded by migration
/// 0004) is spec 001's INITIAL_CONTACT → QUALIFIED → PROPOSAL → NEGOTIATION → CLOSED_WON / CLOSED_LOST.
/// </summary>
public sealed class Pipeline : TrackedEntity
{
    public const int NameMaxLength = 100;

    /// <summary>The seeded default pipeline's id, fixed so migrations and tests can name it.</summary>
    public static readonly Guid DefaultId = Guid.Parse("01900000-0000-7000-8000-000000000001");

    public string Name { get; set; } = "";

    /// <summary>Where new deals go when no pipeline is named; exactly one pipeline is the default.</summary>
    public bool IsDefault { get; set; }
}

/// <summary>A column of a pipeline: its place, its default win probability, and whether it closes a deal.</summary>
public sealed class PipelineStage : AuditedEntity
{
    public const int NameMaxLength = 100;
    public const int CodeMaxLength = 50;

    public Guid PipelineId { get; set; }

    public string Name { get; set; } = "";

    /// <summary>Stable snake-case name for integrations (<c>initial_contact</c>, <c>closed_won</c>, …).</summary>
    public string Code { get; set; } = "";

    public int Position { get; set; }

    /// <summary>0–100: the probability a deal in this stage gets unless it overrides it.</summary>
    public int Probability { get; set; }

    public StageKind Kind { get; set; }
}

public sealed class PipelineConfiguration : IEntityTypeConfiguration<Pipeline>
{
    public void Configure(EntityTypeBuilder<Pipeline> builder)
    {
        builder.ToTable("pipelines");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Name).HasMaxLength(Pipeline.NameMaxLength);
        builder.Property(p => p.Version).IsConcurrencyToken();
        builder.Ignore(p => p.IsDeleted);
        builder.HasQueryFilter(p => p.DeletedAt == null);
        DbErrors.RegisterUnique("ux_pipelines_default", "pipelines.is_default", "isDefault", "Another pipeline is already the default.");
    }
}

public sealed class PipelineStageConfiguration : IEntityTypeConfiguration<PipelineStage>
{
    public void Configure(EntityTypeBuilder<PipelineStage> builder)
    {
        builder.ToTable("pipeline_stages");
        builder.HasKey(s => s.Id);
        builder.HasOne<Pipeline>().WithMany().HasForeignKey(s => s.PipelineId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(s => s.Name).HasMaxLength(PipelineStage.NameMaxLength);
        builder.Property(s => s.Code).HasMaxLength(PipelineStage.CodeMaxLength);
        builder.Property(s => s.Version).IsConcurrencyToken();
        DbErrors.RegisterUnique("ux_pipeline_stages_code", "pipeline_stages.code", "code", "The pipeline already has a stage with this code.");
    }
}
