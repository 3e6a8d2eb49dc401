using System.Data.Common;
using Aida.Platform.Jobs;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Aida.Platform.Events;

/// <summary>A job that copies the outbox somewhere (NATS, webhooks): woken on this node whenever a commit wrote events.</summary>
public sealed record OutboxReader(string JobName);

/// <summary>
/// Wakes the outbox's readers (<see cref="OutboxReader"/>) after a commit on this node that wrote events,
/// so what they deliver lags by a round trip rather than by their polling interval. Only after the commit:
/// woken earlier, a reader would find nothing yet and sleep through its interval. Commits on other nodes
/// are found at the readers' intervals.
/// </summary>
public sealed class OutboxCommits(JobTriggers triggers, IEnumerable<OutboxReader> readers)
{
    private readonly string[] _jobs = readers.Select(r => r.JobName).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>Called by <see cref="AidaDb"/> when a save that wrote events committed.</summary>
    public void Committed()
    {
        foreach (var job in _jobs)
        {
            triggers.RunSoon(job);
        }
    }
}

/// <summary>
/// Announces the commit of a transaction in which <see cref="AidaDb"/> wrote events. A save outside a
/// transaction commits by itself, and AidaDb announces that one directly.
/// </summary>
public sealed class OutboxCommitInterceptor : DbTransactionInterceptor
{
    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) =>
        (eventData.Context as AidaDb)?.EventsCommitted();

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        (eventData.Context as AidaDb)?.EventsCommitted();
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) =>
        (eventData.Context as AidaDb)?.EventsRolledBack();

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        (eventData.Context as AidaDb)?.EventsRolledBack();
        return Task.CompletedTask;
    }
}
