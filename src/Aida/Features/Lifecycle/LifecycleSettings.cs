namespace Aida.Features.Lifecycle;

/// <summary>
/// The settings of the lifecycle's automatic rules: after how many days without a purchase and without an
/// interaction a customer counts as churned (<see cref="InactivityChurn"/>). One stored row, so an
/// administrator changes it at runtime and every node reads the same value; null turns the rule off.
/// </summary>
public sealed class LifecycleSettings : AuditedEntity
{
    public static readonly Guid SingletonId = new("01900000-0000-7000-8000-000000000301");

    public const int DefaultChurnAfterDays = 180;

    // A week at least, so a quiet holiday never churns anyone; ten years at most.
    public const int MinChurnAfterDays = 7;
    public const int MaxChurnAfterDays = 3650;

    public int? ChurnAfterDays { get; set; } = DefaultChurnAfterDays;

    /// <summary>The stored settings, or the defaults if the row is missing (migration 0012 seeds it).</summary>
    public static async Task<LifecycleSettings> GetAsync(AidaDb db, CancellationToken cancellationToken) =>
        await db.Set<LifecycleSettings>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == SingletonId, cancellationToken)
        ?? new LifecycleSettings { Id = SingletonId };

    public LifecycleSettingsResponse ToResponse() => new(ChurnAfterDays, UpdatedAt, Version);
}

public sealed record LifecycleSettingsResponse(int? ChurnAfterDays, DateTime UpdatedAt, int Version);

public sealed class LifecycleSettingsConfiguration : IEntityTypeConfiguration<LifecycleSettings>
{
    public void Configure(EntityTypeBuilder<LifecycleSettings> builder)
    {
        builder.ToTable("lifecycle_settings");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Version).IsConcurrencyToken();
    }
}
