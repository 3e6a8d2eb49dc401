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
        return parent == child || await AnyAboveAsync(db, [parent], new HashSet<Guid> { child }, cancellationToken);
    }

    /// <summary>
    /// Would merging <paramref name="merged"/> into one customer close a loop? The merged customer sits where each of
    /// them sat, so a chain that leaves one of them upwards and comes back down to another (A above C above B, A and
    /// B merged) becomes a loop through the survivor. <paramref name="survivorParent"/> is the parent the merge keeps.
    /// Call under <see cref="LockName.CustomerHierarchy"/> inside the write.
    /// </summary>
    public static async Task<bool> MergeWouldLoopAsync(AidaDb db, IReadOnlyCollection<Guid> merged, Guid? survivorParent, CancellationToken cancellationToken)
    {
        var members = merged.ToHashSet();
        // Links between the merged customers themselves disappear in the merge; only those from outside count.
        var above = await CustomerAccess.AllRelationships(db).AsNoTracking()
            .Where(r => merged.Contains(r.ToCustomerId) && !merged.Contains(r.FromCustomerId)
                && (r.RelationshipType == RelationshipType.ParentChild || r.RelationshipType == RelationshipType.Subsidiary))
            .Select(r => r.FromCustomerId)
            .ToListAsync(cancellationToken);
        if (survivorParent is { } parent && !members.Contains(parent))
        {
            above.Add(parent);
        }

        return above.Count > 0 && await AnyAboveAsync(db, above, members, cancellationToken);
    }

    /// <summary>True when one of <paramref name="targets"/> is among <paramref name="start"/> or above them.</summary>
    private static async Task<bool> AnyAboveAsync(AidaDb db, List<Guid> start, HashSet<Guid> targets, CancellationToken cancellationToken)
    {
        var seen = new HashSet<Guid>(start);
        var frontier = seen.ToList();
        while (frontier.Count > 0 && seen.Count < MaxVisited)
        {
            if (frontier.Exists(targets.Contains))
            {
                return true;
            }

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
        }

        return false;
    }

    public const string MergeLoopMessage = "This merge would make the account hierarchy circular: one of the customers is above another through a customer outside the merge. Change the hierarchy first.";

    public const string LoopMessage = "This would make the account hierarchy circular: the customer is already above the other one.";
}
