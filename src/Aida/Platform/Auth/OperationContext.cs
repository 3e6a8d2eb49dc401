namespace Aida.Platform.Auth;

/// <summary>
/// Who is acting and on behalf of which request: read by the audit log and the outbox so every
/// change records its actor and request id. One per request (scoped); the CLI uses the system actor.
/// </summary>
public sealed class OperationContext
{
    public Guid ActorId { get; set; } = User.SystemId;

    public string ActorName { get; set; } = "system";

    public string? RequestId { get; set; }
}
