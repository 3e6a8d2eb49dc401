namespace Aida.Platform.Http;

/// <summary>The read every "get one record" use case shares.</summary>
public static class RecordReads
{
    /// <summary>
    /// The record <paramref name="query"/> finds, as <paramref name="respond"/> shows it, with its version for
    /// the ETag; not found when there is none. A record out of the reader's reach is not found either: the
    /// query filters leave it out.
    /// </summary>
    public static async Task<Result<TResponse>> FindAsync<T, TResponse>(
        this IQueryable<T> query, string what, Func<T, TResponse> respond, CancellationToken cancellationToken)
        where T : AuditedEntity =>
        await query.FirstOrDefaultAsync(cancellationToken) is { } record
            ? Result.Ok(respond(record), record.Version)
            : new Failure.NotFound(what);
}
