using Microsoft.EntityFrameworkCore.Storage;

namespace Aida.Platform.Data;

/// <summary>
/// Writes many new rows of one entity type at once, bypassing the change tracker, the dialect's fastest
/// way (<see cref="DatabaseDialect.BulkInsertAsync{T}"/>: multi-row INSERT statements on SQLite, binary
/// COPY on PostgreSQL). The row is the one the EF model describes (<see cref="RowShape"/>), so a
/// bulk-written row is the same row a tracked save would write. Runs inside the caller's write
/// transaction (<see cref="AidaDb.BeginBulkInsertAsync"/>); it writes no audit entries or events of its own.
/// </summary>
public static class BulkInsert
{
    public static async Task InsertAsync<T>(AidaDb db, IReadOnlyCollection<T> rows, CancellationToken cancellationToken)
        where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }

        await db.Dialect.BulkInsertAsync(db, ShapeInTransaction<T>(db), rows, cancellationToken);
    }

    /// <summary>
    /// As <see cref="InsertAsync{T}"/>, but a row whose <paramref name="conflictColumns"/> match a stored row's
    /// (a unique key) replaces that row's values in place (<see cref="DatabaseDialect.BulkUpsertAsync{T}"/>).
    /// </summary>
    public static async Task UpsertAsync<T>(AidaDb db, IReadOnlyCollection<T> rows, IReadOnlyList<string> conflictColumns, CancellationToken cancellationToken)
        where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }

        await db.Dialect.BulkUpsertAsync(db, ShapeInTransaction<T>(db), rows, conflictColumns, cancellationToken);
    }

    private static RowShape ShapeInTransaction<T>(AidaDb db)
    {
        _ = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Bulk writes run inside a write transaction (AidaDb.BeginWriteAsync).");
        return RowShape.For(db.Model, typeof(T));
    }
}
