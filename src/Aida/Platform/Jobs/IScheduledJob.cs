namespace Aida.Platform.Jobs;

/// <summary>
/// A background job the one scheduler runs (issue 19 item 6): reminders, follow-ups, webhook and email
/// delivery, the NATS publisher, clean-ups. The scheduler runs each job on one node at a time under a lease
/// in the <c>jobs</c> table, hands it to another node when its node stops renewing (it died), records every
/// run (start, duration, items, failure) for the admin jobs screen, and honours "run now".
/// A job must still make each due item happen once by its own transaction (mark it done in the same
/// commit that does it): a lease can lapse under a node that is only slow, and then two runs overlap briefly.
/// Register with <c>services.AddScheduledJob&lt;T&gt;()</c>; the job is a singleton and creates its own scopes.
/// </summary>
public interface IScheduledJob
{
    /// <summary>Stable key, "area.what" (for example "webhooks.deliver"): the row in the jobs table and the name on the jobs screen.</summary>
    string Name { get; }

    /// <summary>One sentence for the jobs screen: what the job does for users.</summary>
    string Description { get; }

    /// <summary>How long after a run ends the next one is due (also when a run failed).</summary>
    TimeSpan Interval { get; }

    /// <summary>Whether the job runs at all here (off by configuration, say); a job that is off is listed but never run.</summary>
    bool Enabled => true;

    /// <summary>When a job new to the database is first due: at once unless it keeps a time of day.</summary>
    DateTime FirstRunAt(DateTime now) => now;

    /// <summary>When the next run is due after one ended at <paramref name="finishedAt"/>: an <see cref="Interval"/> later unless it keeps a time of day.</summary>
    DateTime NextRunAt(DateTime finishedAt) => finishedAt + Interval;

    /// <summary>
    /// Does the work that is due now, in batches, each committed by itself. Reports how many items it
    /// handled and whether more were waiting when it stopped (the scheduler then runs it again right away).
    /// Throwing records a failed run; the next run is due after <see cref="Interval"/> as usual.
    /// </summary>
    Task<JobOutcome> RunAsync(CancellationToken cancellationToken);
}

/// <summary>
/// What one run did: items handled, and whether it stopped with more due (a batch limit). RetryAfter says
/// work is waiting that cannot be done yet — events of a commit the feed does not serve until older
/// transactions end — so the next run comes after it rather than after a long interval.
/// </summary>
public readonly record struct JobOutcome(int Items, bool MoreDue = false, TimeSpan? RetryAfter = null)
{
    public static readonly JobOutcome Nothing = new(0);
}
