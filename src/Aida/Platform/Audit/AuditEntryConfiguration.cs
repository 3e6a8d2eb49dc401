namespace Aida.Platform.Audit;

public sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("audit_entries");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.ActorName).HasMaxLength(200);
        builder.Property(a => a.RequestId).HasMaxLength(128);
        builder.Property(a => a.EntityType).HasMaxLength(50);
        builder.Property(a => a.Changes).IsJson();
        builder.Property(a => a.Context).IsJson();
    }
}
