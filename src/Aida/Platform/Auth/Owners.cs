using Aida.Platform.Data;
using Aida.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Aida.Platform.Auth;

public static class Owners
{
    /// <summary>An owner must be an existing, active user (WF-CM-001 step 5; edge case "inactive owner").</summary>
    public static async Task CheckAsync(AidaDb db, Guid ownerId, ValidationErrors errors, string field, CancellationToken cancellationToken)
    {
        var active = await db.Set<User>().AsNoTracking()
            .Where(u => u.Id == ownerId)
            .Select(u => (bool?)u.IsActive)
            .FirstOrDefaultAsync(cancellationToken);
        if (active is null)
        {
            errors.Add(field, "No user with this id exists.");
        }
        else if (active == false)
        {
            errors.Add(field, "The user is deactivated and cannot own records.");
        }
    }
}
