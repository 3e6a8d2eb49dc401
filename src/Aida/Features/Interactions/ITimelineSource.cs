namespace Aida.Features.Interactions;

/// <summary>What a timeline source is asked for: a customer's entries in [From, To), after the cursor's entry, by one actor.</summary>
public sealed record TimelineWindow(DateTime From, DateTime To, (DateTime Time, Guid Id)? After, Guid? Actor, int Take);

/// <summary>
/// Entries other features put on a customer's timeline (Lifecycle: journey milestones, spec 002 Journey
/// AC-1), without the timeline knowing those features: each source reads its own index range and
/// <see cref="Timeline"/> merges the pages, as it does its own sources. Register with
/// <c>services.AddSingleton&lt;ITimelineSource, …&gt;()</c>.
/// </summary>
public interface ITimelineSource
{
    /// <summary>The kind of entry this source gives; asked for only when the filter includes it.</summary>
    TimelineKind Kind { get; }

    /// <summary>Audit entity types whose entries this source already shows, so they are not repeated as changes.</summary>
    IReadOnlyCollection<string> AuditedEntityTypes { get; }

    /// <summary>
    /// Up to <see cref="TimelineWindow.Take"/> entries of a customer the caller has found in reach, newest
    /// first, ties by id descending; strictly after <see cref="TimelineWindow.After"/> when given (time, then
    /// id, as the timeline's other sources compare them), and only by <see cref="TimelineWindow.Actor"/> when given.
    /// </summary>
    Task<IReadOnlyList<TimelineItem>> ReadAsync(AidaDb db, Guid customerId, TimelineWindow window, CancellationToken cancellationToken);
}
