using System.Diagnostics.CodeAnalysis;

namespace Aida.Platform.Http;

/// <summary>
/// The steps every change of one record shares: honour If-Match (400 when unreadable), find the record
/// (404), check its version (412), change it, and save it with its event in one write transaction.
/// </summary>
public static class RecordChanges
{
    /// <summary>The record the change applies to, or the failure that stops the change.</summary>
    public static async Task<Found<T>> FindForChangeAsync<T>(
        this IQueryable<T> query, IfMatch precondition, string what, CancellationToken cancellationToken)
        where T : AuditedEntity
    {
        var record = await query.FirstOrDefaultAsync(cancellationToken);
        if (record is null)
        {
            return new Found<T>(null, new Failure.NotFound(what));
        }

        return precondition.Allows(record.Version)
            ? new Found<T>(record, null)
            : new Found<T>(null, new Failure.Stale(record.Version));
    }

    /// <summary>
    /// A change of one record: in a write transaction, finds it for <paramref name="ifMatch"/>, lets
    /// <paramref name="change"/> refuse (a failure) or apply the change and publish its event (null), then
    /// saves and commits. The answer is <paramref name="respond"/>'s view of the record, with its new version.
    /// </summary>
    public static Task<Result<TResponse>> ChangeAsync<T, TResponse>(
        this AidaDb db,
        IQueryable<T> query,
        string? ifMatch,
        string what,
        Func<T, Task<Failure?>> change,
        Func<T, TResponse> respond,
        CancellationToken cancellationToken)
        where T : AuditedEntity =>
        db.ChangeAsync(query, ifMatch, what, holdFirst: null, change, respond, cancellationToken);

    /// <summary>
    /// <see cref="ChangeAsync{T, TResponse}(AidaDb, IQueryable{T}, string?, string, Func{T, Task{Failure?}}, Func{T, TResponse}, CancellationToken)"/>
    /// with <paramref name="holdFirst"/> run in the transaction before the record is read: a lock, so that
    /// concurrent changes of one record queue and each reads what the one before wrote, instead of the
    /// later ones failing the version check.
    /// </summary>
    public static async Task<Result<TResponse>> ChangeAsync<T, TResponse>(
        this AidaDb db,
        IQueryable<T> query,
        string? ifMatch,
        string what,
        Func<CancellationToken, Task>? holdFirst,
        Func<T, Task<Failure?>> change,
        Func<T, TResponse> respond,
        CancellationToken cancellationToken)
        where T : AuditedEntity
    {
        if (IfMatch.Parse(ifMatch) is not { IsValid: true } precondition)
        {
            return Failure.Invalid.IfMatch();
        }

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        if (holdFirst is not null)
        {
            await holdFirst(cancellationToken);
        }

        var found = await query.FindForChangeAsync(precondition, what, cancellationToken);
        if (found.Failed)
        {
            return found.Failure;
        }

        if (await change(found.Record) is { } refused)
        {
            return refused;
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Result.Ok(respond(found.Record), found.Record.Version);
    }

    /// <summary>
    /// DELETE of a record with nothing hanging off it: soft-deletes it and announces it in one save.
    /// The version check in the UPDATE catches a change that slipped in after the If-Match check (412).
    /// </summary>
    public static async Task<Result<T>> SoftDeleteAsync<T>(
        this AidaDb db,
        IQueryable<T> query,
        string? ifMatch,
        string what,
        string eventType,
        Func<T, string> subject,
        Func<T, object> payload,
        CancellationToken cancellationToken)
        where T : TrackedEntity
    {
        if (IfMatch.Parse(ifMatch) is not { IsValid: true } precondition)
        {
            return Failure.Invalid.IfMatch();
        }

        var found = await query.FindForChangeAsync(precondition, what, cancellationToken);
        if (found.Failed)
        {
            return found.Failure;
        }

        var record = found.Record;
        record.DeletedAt = db.Clock.UtcNow();
        db.Publish(eventType, subject(record), () => payload(record));
        await db.SaveChangesAsync(cancellationToken);
        return Result.Ok(record);
    }
}

public readonly record struct Found<T>(T? Record, Failure? Failure)
    where T : class
{
    [MemberNotNullWhen(false, nameof(Record))]
    [MemberNotNullWhen(true, nameof(Failure))]
    [MemberNotNullWhen(true, nameof(Problem))]
    public bool Failed => Failure is not null;

    /// <summary>The failure as the API's problem, for handlers that still answer problems directly.</summary>
    public ProblemHttpResult? Problem => Failure?.ToProblem();
}
