namespace Aida.Platform.Data;

/// <summary>
/// A mutable business record: UUIDv7 key, UTC timestamps, a version for optimistic concurrency
/// (exposed as the ETag) and soft delete. <see cref="AidaDb"/> stamps the timestamps and version on save.
/// </summary>
public abstract class TrackedEntity
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public int Version { get; set; }

    public DateTime? DeletedAt { get; set; }

    public bool IsDeleted => DeletedAt is not null;

    /// <summary>The customer whose history this change belongs to (audit log and timeline).</summary>
    public abstract Guid AuditCustomerId { get; }
}
