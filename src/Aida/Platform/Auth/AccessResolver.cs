using Aida.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Aida.Platform.Auth;

/// <summary>Works out an active user's <see cref="Access"/> from their role and teams (spec 004 roles; issue 4's reach rules).</summary>
public static class AccessResolver
{
    private static readonly CompiledPerModel<Func<AidaDb, Guid, Guid, IAsyncEnumerable<Guid>>> TeamMembers = new(() =>
        EF.CompileAsyncQuery((AidaDb db, Guid userId, Guid teamId) =>
            db.Set<User>().Where(u => u.TeamId == teamId && u.Id != userId).Select(u => u.Id)));

    private static readonly CompiledPerModel<Func<AidaDb, Guid, IAsyncEnumerable<Guid>>> ManagedMembers = new(() =>
        EF.CompileAsyncQuery((AidaDb db, Guid managerId) =>
            db.Set<User>().Where(u => db.Set<Team>().Any(t => t.Id == u.TeamId && t.ManagerId == managerId) && u.Id != managerId).Select(u => u.Id)));

    /// <summary>
    /// Admins and roles with customers.viewAll see every customer. Managers see their own, those of the
    /// members of the teams they manage, and the unassigned pool. Everyone else sees their own and
    /// their teammates'.
    /// </summary>
    public static async Task<Access> ResolveAsync(AidaDb db, Guid userId, Role role, Guid? teamId, bool readOnlyToken, CancellationToken cancellationToken)
    {
        var permissions = Permissions.Of(role);
        if (role == Role.Admin || permissions.Contains(Permissions.CustomersViewAll))
        {
            return new Access(role, permissions, true, [], true, readOnlyToken);
        }

        var owners = new List<Guid> { userId };
        if (role == Role.Manager)
        {
            await foreach (var id in ManagedMembers.For(db)(db, userId).WithCancellation(cancellationToken))
            {
                owners.Add(id);
            }
        }

        if (teamId is { } team)
        {
            await foreach (var id in TeamMembers.For(db)(db, userId, team).WithCancellation(cancellationToken))
            {
                owners.Add(id);
            }
        }

        return new Access(role, permissions, false, owners.Distinct().ToList(), role == Role.Manager, readOnlyToken) { TeamId = teamId };
    }
}
