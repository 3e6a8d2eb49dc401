namespace Aida.Platform.Audit;

public enum AuditAction
{
    Create,
    Update,
    Delete,
}

/// <summary>
/// One change to one record: who made it, when, under which request, and the fields that changed
/// (<c>{"status": {"from": "prospect", "to": "active"}}</c>). Written in the transaction of the change.
/// </summary>
public sealed class AuditEntry
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public DateTime OccurredAt { get; set; }

    public Guid ActorId { get; set; }

    public required string ActorName { get; set; }

    /// <summary>The API token the actor used, when the change came through the API.</summary>
    public Guid? ActorTokenId { get; set; }

    public string? RequestId { get; set; }

    public required string EntityType { get; set; }

    public Guid EntityId { get; set; }

    public Guid? CustomerId { get; set; }

    public AuditAction Action { get; set; }

    /// <summary>JSON object: field → {from, to}.</summary>
    public required string Changes { get; set; }

    /// <summary>JSON object with why the change was made, when the use case says (e.g. a duplicate allowed).</summary>
    public string? Context { get; set; }
}
