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
/// What an actor may do and see (spec 004 roles; issue 4's reach rules). Customers are visible when
/// <see cref="AllCustomers"/> (admins and roles with customers.viewAll); otherwise when the actor owns
/// them, a member of their <see cref="TeamId"/> owns them, a member of a team they manage owns them, or
/// — for <see cref="Unassigned"/> (managers) — nobody owns them. The query filters in CustomerAccess and
/// <see cref="Owners"/> test this per row; everything that belongs to a customer (contacts, addresses,
/// account, relationships, audit, events) is visible exactly when the customer is.
/// </summary>
public sealed record Access(Role Role, IReadOnlySet<string> Permissions, bool AllCustomers, bool Unassigned, Guid? TeamId, bool ReadOnlyToken)
{
    public static readonly Access Everything = Of(Role.Admin, null, readOnlyToken: false);

    public static readonly Access Nothing = new(Role.Viewer, new HashSet<string>(), false, false, null, true);

    public static Access Of(Role role, Guid? teamId, bool readOnlyToken)
    {
        var permissions = Auth.Permissions.Of(role);
        var all = role == Role.Admin || permissions.Contains(Auth.Permissions.CustomersViewAll);
        return new Access(role, permissions, all, all || role == Role.Manager, teamId, readOnlyToken);
    }

    public bool ManagesTeams => Role == Role.Manager;

    public bool IsAdmin => Role == Role.Admin;

    public bool Can(string permission) => Permissions.Contains(permission);

    public bool SeesSensitive => Can(Auth.Permissions.CustomersViewSensitive);
}
