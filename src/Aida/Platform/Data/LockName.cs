namespace Aida.Platform.Data;

/// <summary>The kinds of check-then-write that are serialised across nodes (<see cref="AidaDb.LockAsync(LockName, CancellationToken)"/>).</summary>
public enum LockName : long
{
    CustomerHierarchy = 0x41494441_0001,
    ActivityReminders = 0x41494441_0002,
    LeadCapture = 0x41494441_0005,
    LeadRouting = 0x41494441_0006,
    LeadConversion = 0x41494441_0008,

    /// <summary>Creates of customers that duplicate detection could match (keyed by name sound, email, phone…).</summary>
    CustomerIdentity = 0x41494441_0009,

    /// <summary>The lifecycle's inactivity rule (one sweep at a time across nodes).</summary>
    InactivityChurn = 0x41494441_000C,

    /// <summary>Customer scoring (runs' chunks, the rescoring queue, one customer's recalculation): one writer of scores at a time.</summary>
    CustomerScoring = 0x41494441_0010,

    /// <summary>Segment recalculation: one run at a time, so dependent segments read settled memberships.</summary>
    SegmentRecalculation = 0x41494441_0011,

    /// <summary>The duplicate scan's writes (pairs and cursor of one chunk): one chunk written once across nodes.</summary>
    DuplicateScan = 0x41494441_0016,

    /// <summary>Lead follow-up reminders: one sweep at a time, so a reminder goes out once.</summary>
    LeadFollowUps = 0x41494441_0020,

    /// <summary>Stale-deal notices: one sweep at a time, so a notice goes out once.</summary>
    StaleDeals = 0x41494441_0021,
}
