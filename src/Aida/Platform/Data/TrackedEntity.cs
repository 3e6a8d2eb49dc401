namespace Aida.Platform.Data;

/// <summary>
/// A record whose every change is audited: UUIDv7 key, UTC timestamps and a version for optimistic
/// concurrency (exposed as the ETag). <see cref="AidaDb"/> stamps the timestamps and version on save.
/// </summary>
public abstract class AuditedEntity
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public int Version { get; set; }

    /// <summary>The customer whose history this change belongs to (audit log and timeline), if any.</summary>
    public virtual Guid? AuditCustomerId => null;
}

/// <summary>A business record that is soft-deleted: it disappears from every query but stays in the database.</summary>
public abstract class TrackedEntity : AuditedEntity
{
    public DateTime? DeletedAt { get; set; }

    public bool IsDeleted => DeletedAt is not null;
}
