namespace Aida.Platform.Auth;

public static class Owners
{
    /// <summary>
    /// An owner must be an existing, active user (WF-CM-001 step 5; edge case "inactive owner") within
    /// the actor's reach.
    /// </summary>
    public static async Task CheckAsync(AidaDb db, Guid ownerId, ValidationErrors errors, string field, CancellationToken cancellationToken, string records = "customers")
    {
        // The owner side of the reach rule in CustomerAccess's customer filter: customers this user owns
        // would be visible to the actor.
        var access = db.Operation.Access;
        var actor = db.Operation.ActorId;
        var candidate = await db.Set<User>().Where(u => u.Id == ownerId)
            .Select(u => new
            {
                u.IsActive,
                InReach = access.AllCustomers
                    || u.Id == actor
                    || (access.TeamId != null && u.TeamId == access.TeamId)
                    || (access.ManagesTeams && db.Set<Team>().Any(t => t.Id == u.TeamId && t.ManagerId == actor)),
            })
            .FirstOrDefaultAsync(cancellationToken);
        if (candidate is null)
        {
            errors.Add(field, "No user with this id exists.");
        }
        else if (!candidate.IsActive)
        {
            errors.Add(field, "The user is deactivated and cannot own records.");
        }
        else if (!candidate.InReach)
        {
            // Handing a customer to someone outside one's reach would make it vanish for the person doing it.
            errors.Add(field, $"You can assign {records} only to yourself or to members of your team.");
        }
    }
}
