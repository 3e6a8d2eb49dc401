namespace Aida.Features.Scoring;

/// <summary>
/// WF-LC-002's "on-demand" half: an event that changes a scoring factor (an interaction, an activity, a deal,
/// a purchase) queues its customer for rescoring, in the save that records the change; the scoring worker
/// rescores the queue within seconds.
/// </summary>
public sealed class RescoreOnChange : IEventReaction
{
    public bool ReactsTo(string type) =>
        type.StartsWith("interaction.", StringComparison.Ordinal)
        || type.StartsWith("activity.", StringComparison.Ordinal)
        || type.StartsWith("deal.", StringComparison.Ordinal)
        || type.StartsWith("purchase.", StringComparison.Ordinal)
        || type is "customer.purchase_recorded" or "customer.deleted";

    public Task ReactAsync(AidaDb db, PendingEvent pending, CancellationToken cancellationToken)
    {
        if (pending.CustomerId is not { } customerId)
        {
            return Task.CompletedTask;
        }

        // A deleted customer is queued too: the worker then drops its scores (see ScoringEngine.ProcessQueueAsync).
        db.Add(new ScoringQueueEntry { CustomerId = customerId, QueuedAt = db.Clock.UtcNow() });
        return Task.CompletedTask;
    }
}
