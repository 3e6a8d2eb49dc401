using Aida.Features.Customers;

namespace Aida.Features.Interactions.Activities;

/// <summary>
/// Scheduled work on a deleted customer goes with it. Its interactions, notes and messages stay, hidden
/// with it (InteractionAccess); activities are otherwise visible to their assignee whoever owns the customer.
/// </summary>
public sealed class ActivitiesOfDeletedCustomer : ICustomerDependents
{
    public string Name => "activities";

    public async Task<IReadOnlyDictionary<Guid, int>> DeleteWithCustomersAsync(
        AidaDb db, IReadOnlyList<Guid> customerIds, DateTime now, CancellationToken cancellationToken)
    {
        var ids = customerIds.Select(id => (Guid?)id).ToList();
        var activities = await db.Set<Activity>().IgnoreQueryFilters()
            .Where(a => ids.Contains(a.CustomerId) && a.DeletedAt == null).ToListAsync(cancellationToken);
        foreach (var activity in activities)
        {
            activity.DeletedAt = now;
            db.Publish("activity.deleted", ActivityMapping.Subject(activity), () => new { activity = activity.ToResponse(now) });
        }

        return activities.GroupBy(a => a.CustomerId!.Value).ToDictionary(g => g.Key, g => g.Count());
    }
}
