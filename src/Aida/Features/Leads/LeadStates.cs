namespace Aida.Features.Leads;

/// <summary>The steps every lead state change shares: find it in reach (404), honour If-Match (412), refuse a converted lead (409), save with its event.</summary>
public static class LeadStates
{
    /// <summary>
    /// Holds the lead's row until the transaction ends, so two touches or changes of one lead at once are
    /// applied one after the other (the second reads what the first wrote) instead of one failing on the
    /// version check. SQLite already runs one writer at a time.
    /// </summary>
    public static Task LockAsync(AidaDb db, Guid id, CancellationToken cancellationToken) =>
        db.LockRowAsync<Lead>(id, cancellationToken);

    public static Failure Converted() => new Failure.Conflict("status", "The lead is converted; work it as its customer now.");

    public sealed record ReasonRequest(string? Reason);

    /// <summary>
    /// A change of the lead, holding its row (<see cref="LockAsync"/>): <paramref name="change"/> refuses
    /// (a failure) or changes the lead and publishes its event (null); a converted lead is refused before it runs.
    /// </summary>
    public static Task<Result<LeadResponse>> ChangeAsync(
        Guid id, string? ifMatch, AidaDb db, Func<Lead, Failure?> change, CancellationToken cancellationToken) =>
        db.ChangeAsync(
            db.Set<Lead>().Where(l => l.Id == id),
            ifMatch,
            "lead",
            holdFirst: token => LockAsync(db, id, token),
            lead => Task.FromResult(lead.Status == LeadStatus.Converted ? Converted() : change(lead)),
            lead => lead.ToResponse(),
            cancellationToken);

    public static void Publish(AidaDb db, string type, Lead lead, string? reason) =>
        db.Publish(type, LeadMapping.Subject(lead), () => new { lead = lead.ToResponse(), reason });
}
