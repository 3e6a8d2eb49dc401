namespace Aida.Features.Customers.Relationships;

public enum RelationshipType
{
    /// <summary>From is the parent, to is the child.</summary>
    ParentChild,
    Partner,
    Referral,
    Reseller,
    /// <summary>To is a subsidiary of from.</summary>
    Subsidiary,
}

/// <summary>A typed link between two customers (spec 002, customer_management / Relationship).</summary>
public sealed class Relationship : TrackedEntity
{
    public const int NotesMaxLength = 4000;

    public Guid FromCustomerId { get; set; }

    public Guid ToCustomerId { get; set; }

    public RelationshipType RelationshipType { get; set; }

    public string? Notes { get; set; }

    public DateOnly? StartDate { get; set; }

    public DateOnly? EndDate { get; set; }

    /// <summary>Parent/child and subsidiary links form the hierarchy that must never loop.</summary>
    public static bool IsHierarchical(RelationshipType type) =>
        type is RelationshipType.ParentChild or RelationshipType.Subsidiary;

    public override Guid? AuditCustomerId => FromCustomerId;
}

public sealed class RelationshipConfiguration : IEntityTypeConfiguration<Relationship>
{
    public void Configure(EntityTypeBuilder<Relationship> builder)
    {
        builder.ToTable("relationships");
        builder.HasKey(r => r.Id);
        // Declared so EF orders inserts parent-first; the database's own foreign keys are in the migrations.
        builder.HasOne<Customer>().WithMany().HasForeignKey(r => r.FromCustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Customer>().WithMany().HasForeignKey(r => r.ToCustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(r => r.Notes).HasMaxLength(Relationship.NotesMaxLength);
        builder.Property(r => r.Version).IsConcurrencyToken();
        builder.Ignore(r => r.IsDeleted);

        DbErrors.RegisterUnique("ux_relationships_unique", "relationships.from_customer_id, relationships.to_customer_id, relationships.relationship_type",
            "relationshipType", "These customers already have a relationship of this type.");
    }
}
