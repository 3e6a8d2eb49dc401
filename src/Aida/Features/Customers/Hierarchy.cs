using Aida.Features.Customers.Relationships;

namespace Aida.Features.Customers;

/// <summary>
/// The account hierarchy: a customer's <see cref="Customer.ParentId"/> plus every parent/child and
/// subsidiary relationship, read as "from is above to". No chain through it may loop back on itself
/// (spec edge case "circular hierarchy": block the assignment and say why). Every customer counts,
/// including those outside the actor's reach: a loop is a loop whoever can see its links.
/// </summary>
public static class Hierarchy
{
    private const int MaxVisited = 100_000;

    /// <summary>
    /// Would placing <paramref name="parent"/> above <paramref name="child"/> close a loop? True when
    /// they are the same customer or <paramref name="child"/> is already above <paramref name="parent"/>.
    /// Call under <see cref="LockName.CustomerHierarchy"/> inside the write, so two concurrent changes
    /// cannot each pass the check and together make a loop.
    /// </summary>
    public static async Task<bool> WouldLoopAsync(AidaDb db, Guid parent, Guid child, CancellationToken cancellationToken)
    {
        if (parent == child)
        {
            return true;
        }

        var seen = new HashSet<Guid> { parent };
        var frontier = new List<Guid> { parent };
        while (frontier.Count > 0 && seen.Count < MaxVisited)
        {
            var level = frontier;
            var viaParent = await CustomerAccess.All(db).AsNoTracking()
                .Where(c => level.Contains(c.Id) && c.ParentId != null)
                .Select(c => c.ParentId!.Value)
                .ToListAsync(cancellationToken);
            var viaRelationship = await CustomerAccess.AllRelationships(db).AsNoTracking()
                .Where(r => level.Contains(r.ToCustomerId)
                    && (r.RelationshipType == RelationshipType.ParentChild || r.RelationshipType == RelationshipType.Subsidiary))
                .Select(r => r.FromCustomerId)
                .ToListAsync(cancellationToken);

            frontier = viaParent.Concat(viaRelationship).Where(seen.Add).ToList();
            if (frontier.Contains(child))
            {
                return true;
            }
        }

        return false;
    }

    public const string LoopMessage = "This would make the account hierarchy circular: the customer is already above the other one.";
}
