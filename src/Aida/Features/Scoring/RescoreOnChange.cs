using System.Text.Json;

namespace Aida.Features.Scoring;

/// <summary>
/// WF-LC-002's "on-demand" half: an event that changes a scoring factor (an interaction, an activity, a deal,
/// a purchase) queues its customer for rescoring, in the save that records the change; the scoring worker
/// rescores the queue within seconds. A merge moves history between customers, so it queues every customer
/// it touched: the survivor is rescored with what it gained and the merged-away customers lose their scores
/// (they are deleted); an undo queues them all again.
/// </summary>
public sealed class RescoreOnChange : IEventReaction
{
    /// <summary>The payload fields of the merge events that name the other customers a merge touched.</summary>
    private static readonly string[] OtherCustomers = ["mergedIds", "restoredIds"];

    public bool ReactsTo(string type) =>
        type.StartsWith("interaction.", StringComparison.Ordinal)
        || type.StartsWith("activity.", StringComparison.Ordinal)
        || type.StartsWith("deal.", StringComparison.Ordinal)
        || type.StartsWith("purchase.", StringComparison.Ordinal)
        || type is "customer.purchase_recorded" or "customer.deleted" or "customer.merged" or "customer.merge_undone";

    public Task ReactAsync(AidaDb db, PendingEvent pending, CancellationToken cancellationToken)
    {
        if (pending.CustomerId is not { } customerId)
        {
            return Task.CompletedTask;
        }

        // A deleted customer is queued too: the worker then drops its scores (see ScoringEngine.ProcessQueueAsync).
        var now = db.Clock.UtcNow();
        db.Add(new ScoringQueueEntry { CustomerId = customerId, QueuedAt = now });
        if (pending.Type is "customer.merged" or "customer.merge_undone")
        {
            var data = JsonSerializer.SerializeToElement(pending.Data());
            foreach (var field in OtherCustomers)
            {
                if (data.TryGetProperty(field, out var ids) && ids.ValueKind == JsonValueKind.Array)
                {
                    foreach (var id in ids.EnumerateArray())
                    {
                        db.Add(new ScoringQueueEntry { CustomerId = id.GetGuid(), QueuedAt = now });
                    }
                }
            }
        }

        return Task.CompletedTask;
    }
}
