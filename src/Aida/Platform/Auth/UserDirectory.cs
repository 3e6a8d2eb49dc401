namespace Aida.Platform.Auth;

/// <summary>
/// The people pages name and offer as owners: every user's name (owners may since have been
/// deactivated) and the active users the actor may assign customers to — the same reach rule
/// <see cref="Owners.CheckAsync"/> enforces, so the choices offered are the ones that will be accepted.
/// Users are few in a CRM (a company's staff), so one small query per page reads them all.
/// </summary>
public sealed class UserDirectory
{
    private readonly Dictionary<Guid, string> _names;

    private UserDirectory(Dictionary<Guid, string> names, IReadOnlyList<(Guid Id, string Name)> assignable)
    {
        _names = names;
        Assignable = assignable;
    }

    /// <summary>Active users the actor may make owners, by name.</summary>
    public IReadOnlyList<(Guid Id, string Name)> Assignable { get; }

    public string NameOf(Guid? id) => id is null ? "Unassigned" : _names.TryGetValue(id.Value, out var name) ? name : "Unknown user";

    public static async Task<UserDirectory> LoadAsync(AidaDb db, CancellationToken cancellationToken)
    {
        var access = db.Operation.Access;
        var actor = db.Operation.ActorId;
        var users = await db.Set<User>().AsNoTracking()
            .Select(u => new { u.Id, u.DisplayName, u.IsActive, u.TeamId })
            .ToListAsync(cancellationToken);
        var managed = access.ManagesTeams
            ? await db.Set<Team>().AsNoTracking().Where(t => t.ManagerId == actor).Select(t => (Guid?)t.Id).ToListAsync(cancellationToken)
            : [];
        var assignable = users
            .Where(u => u.IsActive && u.Id != User.SystemId && (access.AllCustomers
                || u.Id == actor
                || (access.TeamId != null && u.TeamId == access.TeamId)
                || (u.TeamId != null && managed.Contains(u.TeamId))))
            .OrderBy(u => u.DisplayName, StringComparer.CurrentCultureIgnoreCase)
            .Select(u => (u.Id, u.DisplayName))
            .ToList();
        return new UserDirectory(users.ToDictionary(u => u.Id, u => u.DisplayName), assignable);
    }
}
