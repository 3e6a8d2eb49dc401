using Aida.Platform.Data;
using Aida.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Aida.Platform.Auth;

public static class Owners
{
    private static readonly CompiledPerModel<Func<AidaDb, Guid, CancellationToken, Task<bool?>>> IsActive = new(() =>
        EF.CompileAsyncQuery((AidaDb db, Guid id, CancellationToken _) =>
            db.Set<User>().Where(u => u.Id == id).Select(u => (bool?)u.IsActive).FirstOrDefault()));

    /// <summary>
    /// An owner must be an existing, active user (WF-CM-001 step 5; edge case "inactive owner") within
    /// the actor's reach.
    /// </summary>
    public static async Task CheckAsync(AidaDb db, Guid ownerId, ValidationErrors errors, string field, CancellationToken cancellationToken)
    {
        var active = await IsActive.For(db)(db, ownerId, cancellationToken);
        if (active is null)
        {
            errors.Add(field, "No user with this id exists.");
        }
        else if (active == false)
        {
            errors.Add(field, "The user is deactivated and cannot own records.");
        }
        else if (!db.Operation.Access.Reaches(ownerId))
        {
            // Handing a customer to someone outside one's reach would make it vanish for the person doing it.
            errors.Add(field, "You can assign customers only to yourself or to members of your team.");
        }
    }
}
