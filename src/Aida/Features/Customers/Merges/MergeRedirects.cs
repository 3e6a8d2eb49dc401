namespace Aida.Features.Customers.Merges;

/// <summary>
/// Where a merged-away customer lives on (WF-CM-002: "secondary customer IDs redirect to primary";
/// "external ID mappings preserved"). Follows merges of merges; answers only a survivor the actor can see.
/// </summary>
public static class MergeRedirects
{
    /// <summary>Merges of merges are followed at most this far (each hop is one merge of the survivor).</summary>
    private const int MaxHops = 20;

    /// <summary>The live customer <paramref name="customerId"/> was merged into, if it was and the actor can see it.</summary>
    public static async Task<Guid?> SurvivorAsync(AidaDb db, Guid customerId, CancellationToken cancellationToken)
    {
        var current = customerId;
        for (var hop = 0; hop < MaxHops; hop++)
        {
            var next = await (from s in db.Set<CustomerMergeSource>()
                              join m in db.Set<CustomerMerge>() on s.MergeId equals m.Id
                              where s.CustomerId == current && m.UndoneAt == null
                              select (Guid?)m.SurvivorId).FirstOrDefaultAsync(cancellationToken);
            if (next is not { } survivor)
            {
                return null;
            }

            if (await db.Set<Customer>().AnyAsync(c => c.Id == survivor, cancellationToken))
            {
                return survivor;
            }

            current = survivor;
        }

        return null;
    }

    /// <summary>Survivors of customers merged away with this external id (a sync sending an old id finds the survivor).</summary>
    public static async Task<List<Guid>> SurvivorsByExternalIdAsync(AidaDb db, string externalId, CancellationToken cancellationToken)
    {
        var merged = await (from s in db.Set<CustomerMergeSource>()
                            join m in db.Set<CustomerMerge>() on s.MergeId equals m.Id
                            where s.ExternalId == externalId && m.UndoneAt == null
                            select s.CustomerId).Take(10).ToListAsync(cancellationToken);
        var survivors = new List<Guid>();
        foreach (var id in merged)
        {
            if (await SurvivorAsync(db, id, cancellationToken) is { } survivor && !survivors.Contains(survivor))
            {
                survivors.Add(survivor);
            }
        }

        return survivors;
    }
}
