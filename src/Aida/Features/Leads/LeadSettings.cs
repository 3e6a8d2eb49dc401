namespace Aida.Features.Leads;

/// <summary>
/// The lead workflow's two numbers: the score at which a lead counts as sales-ready (crossing it emits
/// <c>lead.score_changed</c>) and how many unanswered follow-ups make a lead unresponsive. One stored row,
/// not configuration: an admin changes them at runtime from the settings screen, every node reads the
/// same values, and the static seams (scoring, touches) that capture code calls read them from the database.
/// </summary>
public sealed class LeadSettings : AuditedEntity
{
    public static readonly Guid SingletonId = new("01900000-0000-7000-8000-000000000101");

    public const int DefaultQualificationThreshold = 70;
    public const int DefaultMaxFollowUps = 5;

    public int QualificationThreshold { get; set; } = DefaultQualificationThreshold;

    public int MaxFollowUps { get; set; } = DefaultMaxFollowUps;

    /// <summary>The stored settings, or the defaults if the row is missing (it is seeded by migration 0006).</summary>
    public static async Task<LeadSettings> GetAsync(AidaDb db, CancellationToken cancellationToken) =>
        await db.Set<LeadSettings>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == SingletonId, cancellationToken)
        ?? new LeadSettings { Id = SingletonId };
}

public sealed class LeadSettingsConfiguration : IEntityTypeConfiguration<LeadSettings>
{
    public void Configure(EntityTypeBuilder<LeadSettings> builder)
    {
        builder.ToTable("lead_settings");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Version).IsConcurrencyToken();
    }
}

public sealed record LeadSettingsResponse(int QualificationThreshold, int MaxFollowUps, DateTime UpdatedAt, int Version);

public static class LeadSettingsMapping
{
    public static LeadSettingsResponse ToResponse(this LeadSettings s) => new(s.QualificationThreshold, s.MaxFollowUps, s.UpdatedAt, s.Version);
}
