namespace Aida.Platform.Events;

public sealed class OutboxEventConfiguration : IEntityTypeConfiguration<OutboxEvent>
{
    public const int TypeMaxLength = 100;

    public void Configure(EntityTypeBuilder<OutboxEvent> builder)
    {
        builder.ToTable("events");
        builder.HasKey(e => e.Seq);
        builder.Property(e => e.Seq).ValueGeneratedOnAdd();
        builder.Property(e => e.Type).HasMaxLength(TypeMaxLength);
        builder.Property(e => e.Subject).HasMaxLength(200);
        builder.Property(e => e.RequestId).HasMaxLength(128);
        builder.Property(e => e.Data).IsJson();
    }
}
