using System.Text.Json.Nodes;
using Aida.Features.Interactions;

namespace Aida.Features.Lifecycle;

/// <summary>
/// Spec 002 Journey's first contact, recorded in the save that logs a customer's first interaction (by any
/// path: the API, a page, an activity completed, an email synced). A customer whose interactions predate
/// milestones got its first contact from migration 0009; one with interactions saved already gets none here,
/// so a later interaction is never mistaken for the first.
/// </summary>
public sealed class FirstContactMilestone : IEventReaction
{
    public bool ReactsTo(string type) => type == "interaction.logged";

    public async Task ReactAsync(AidaDb db, PendingEvent pending, CancellationToken cancellationToken)
    {
        if (pending.CustomerId is not { } customerId || await Journey.HasAsync(db, customerId, MilestoneType.FirstContact, cancellationToken))
        {
            return;
        }

        // Two first interactions logged at once must not both record it (the second save would fail on the
        // unique index, and its interaction with it): the customer's lifecycle row orders them, then look again.
        await db.LockRowAsync<CustomerLifecycle>(customerId, cancellationToken);
        if (await Journey.HasAsync(db, customerId, MilestoneType.FirstContact, cancellationToken))
        {
            return;
        }

        var logged = db.ChangeTracker.Entries<Interaction>()
            .Where(e => e.State == EntityState.Added && e.Entity.CustomerId == customerId)
            .Select(e => e.Entity)
            .OrderBy(i => i.OccurredAt)
            .FirstOrDefault();
        // Interactions loaded in bulk (an import, the seeder) publish no events: an earlier one already saved
        // means this is not the first contact, milestone or not.
        if (logged is null || await db.Set<Interaction>().IgnoreQueryFilters().AnyAsync(i => i.CustomerId == customerId, cancellationToken))
        {
            return;
        }

        Journey.Record(db, customerId, MilestoneType.FirstContact, logged.OccurredAt,
            new JsonObject { ["interactionId"] = logged.Id, ["interactionType"] = EnumText<InteractionType>.ToText(logged.InteractionType) });
    }
}
