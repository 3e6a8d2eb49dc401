namespace Aida.Platform.Auth;

/// <summary>
/// Who is acting, with which rights, on behalf of which request: read by the audit log, the outbox,
/// the record-level query filters and the permission checks. One per request (scoped). A request
/// starts anonymous, with no rights; authentication makes it a user. Work outside HTTP (the CLI,
/// background jobs) runs as the built-in system actor with every right.
/// </summary>
public sealed class OperationContext
{
    public Guid ActorId { get; private set; } = User.SystemId;

    public string ActorName { get; private set; } = "system";

    /// <summary>The API token the request came with, if any: recorded on audit entries.</summary>
    public Guid? TokenId { get; private set; }

    public Access Access { get; private set; } = Access.Everything;

    public string? RequestId { get; set; }

    public bool IsAuthenticated => Access != Access.Nothing;

    public void BecomeAnonymous()
    {
        ActorId = Guid.Empty;
        ActorName = "anonymous";
        TokenId = null;
        Access = Access.Nothing;
    }

    public void BecomeUser(Guid userId, string name, Access access, Guid? tokenId)
    {
        ActorId = userId;
        ActorName = name;
        Access = access;
        TokenId = tokenId;
    }

    /// <summary>For work done on behalf of nobody in particular, such as first-run setup.</summary>
    public void BecomeSystem()
    {
        ActorId = User.SystemId;
        ActorName = "system";
        TokenId = null;
        Access = Access.Everything;
    }
}

/// <summary>
/// What an actor may do and see. Customers are visible when <see cref="AllCustomers"/>, or when owned
/// by one of <see cref="Owners"/> (the actor, and the members of their team or of the teams they
/// manage), or — for <see cref="Unassigned"/> — when nobody owns them (the pool managers triage).
/// Everything that belongs to a customer (contacts, addresses, account, relationships, audit, events)
/// is visible exactly when the customer is.
/// </summary>
public sealed record Access(Role Role, IReadOnlySet<string> Permissions, bool AllCustomers, IReadOnlyList<Guid> Owners, bool Unassigned, bool ReadOnlyToken)
{
    /// <summary>The actor's team: its members' customers are in reach (what the query filters test, per row).</summary>
    public Guid? TeamId { get; init; }

    public static readonly Access Everything = new(Role.Admin, Auth.Permissions.Of(Role.Admin), true, [], true, false);

    public static readonly Access Nothing = new(Role.Viewer, new HashSet<string>(), false, [], false, true);

    public bool Can(string permission) => Permissions.Contains(permission);

    public bool SeesSensitive => Can(Auth.Permissions.CustomersViewSensitive);

    /// <summary>Whether a customer owned by <paramref name="ownerId"/> is within reach.</summary>
    public bool Reaches(Guid? ownerId) => AllCustomers || (ownerId is { } owner ? Owners.Contains(owner) : Unassigned);
}
