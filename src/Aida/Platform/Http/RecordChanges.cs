using System.Diagnostics.CodeAnalysis;
using Aida.Platform.Data;
using Aida.Platform.Events;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Aida.Platform.Http;

/// <summary>The steps every PATCH and DELETE of one record shares: find it (404) and honour If-Match (412).</summary>
public static class RecordChanges
{
    /// <summary>The record the change applies to, or the problem that stops the change.</summary>
    public static async Task<Found<T>> FindForChangeAsync<T>(
        this IQueryable<T> query, IfMatch precondition, string what, CancellationToken cancellationToken)
        where T : AuditedEntity
    {
        var record = await query.FirstOrDefaultAsync(cancellationToken);
        if (record is null)
        {
            return new Found<T>(null, Problems.NotFound(what));
        }

        return precondition.Allows(record.Version)
            ? new Found<T>(record, null)
            : new Found<T>(null, Problems.PreconditionFailed(record.Version));
    }

    /// <summary>
    /// DELETE of a record with nothing hanging off it: soft-deletes it and announces it in one save.
    /// The version check in the UPDATE catches a change that slipped in after the If-Match check (412).
    /// </summary>
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> SoftDeleteAsync<T>(
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
            return Problems.InvalidIfMatch();
        }

        var found = await query.FindForChangeAsync(precondition, what, cancellationToken);
        if (found.Failed)
        {
            return found.Problem;
        }

        var record = found.Record;
        record.DeletedAt = db.Clock.UtcNow();
        db.Publish(eventType, subject(record), () => payload(record));
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }
}

public readonly record struct Found<T>(T? Record, ProblemHttpResult? Problem)
    where T : class
{
    [MemberNotNullWhen(false, nameof(Record))]
    [MemberNotNullWhen(true, nameof(Problem))]
    public bool Failed => Problem is not null;
}
