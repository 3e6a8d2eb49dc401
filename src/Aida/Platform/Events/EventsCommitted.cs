using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Aida.Platform.Events;

/// <summary>
/// Hears that events were committed (a singleton, registered with <c>services.AddSingleton&lt;IEventsCommittedListener, …&gt;()</c>):
/// called on the committing thread right after the commit, so it must only signal (say, JobTriggers.RunSoon), never do the work.
/// Other nodes' commits are not heard: their consumers poll as well.
/// </summary>
public interface IEventsCommittedListener
{
    void EventsCommitted();
}

/// <summary>
/// Tells <see cref="IEventsCommittedListener"/>s when a transaction that wrote events commits, and forgets
/// the events of one that rolled back. Saves outside a transaction tell them from <see cref="AidaDb"/> itself.
/// </summary>
public sealed class EventsCommitted : DbTransactionInterceptor
{
    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        (eventData.Context as AidaDb)?.EventsCommitted();
    }

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        (eventData.Context as AidaDb)?.EventsCommitted();
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    private static void Forget(DbContext? context)
    {
        if (context is AidaDb db)
        {
            db.WroteEvents = false;
        }
    }
}

public static class EventsCommittedRegistration
{
    /// <summary>
    /// Wakes <paramref name="jobName"/> on this node after every commit that wrote events, so a job that copies the
    /// outbox somewhere (webhooks, NATS) lags by a round trip rather than by its interval. Commits on other nodes
    /// are found at the job's interval.
    /// </summary>
    public static IServiceCollection WakeOnCommittedEvents(this IServiceCollection services, string jobName) =>
        services.AddSingleton<IEventsCommittedListener>(provider => new JobWaker(provider.GetRequiredService<Jobs.JobTriggers>(), jobName));

    private sealed class JobWaker(Jobs.JobTriggers triggers, string jobName) : IEventsCommittedListener
    {
        public void EventsCommitted() => triggers.RunSoon(jobName);
    }
}
