namespace Aida.Platform.Events;

/// <summary>
/// A feature's reaction to another feature's event, inside the save that writes the event: what it changes
/// and publishes commits with it or not at all. It is how a feature built on another follows what happens
/// there without that feature naming it (Lifecycle moves a customer to Customer when Deals publishes
/// <c>deal.converted</c>). Reactions run in registration order, also for the events reactions publish;
/// they must not save. Register with <c>services.AddSingleton&lt;IEventReaction, …&gt;()</c> (or scoped).
/// </summary>
public interface IEventReaction
{
    /// <summary>Whether this reaction wants events of <paramref name="type"/>; asked for every event published.</summary>
    bool ReactsTo(string type);

    Task ReactAsync(AidaDb db, PendingEvent pending, CancellationToken cancellationToken);
}
