using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Aida.Platform.Data;

/// <summary>
/// Writes many new rows of one entity type at once, bypassing the change tracker: multi-row INSERT
/// statements on SQLite (<see cref="SqliteInsertStatements.InsertMany{T}"/>), binary COPY on PostgreSQL. The row is the one the EF model describes
/// (<see cref="RowShape"/>), so a bulk-written row is the same row a tracked save would write.
/// Runs inside the caller's write transaction; it writes no audit entries or events of its own.
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

        var shape = RowShape.For(db.Model, typeof(T));
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Bulk inserts run inside a write transaction (AidaDb.BeginWriteAsync).");
        if (db.Database.GetDbConnection() is NpgsqlConnection npgsql)
        {
            await CopyAsync(npgsql, shape, rows, cancellationToken);
            return;
        }

        SqliteInsertStatements.InsertMany((SqliteConnection)db.Database.GetDbConnection(), shape, rows);
    }

    private static async Task CopyAsync<T>(NpgsqlConnection connection, RowShape shape, IReadOnlyCollection<T> rows, CancellationToken cancellationToken)
        where T : class
    {
        var sql = $"COPY \"{shape.Table}\" ({string.Join(", ", shape.Columns.Select(c => $"\"{c.Name}\""))}) FROM STDIN (FORMAT BINARY)";
        await using var importer = await connection.BeginBinaryImportAsync(sql, cancellationToken);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(cancellationToken);
            foreach (var column in shape.Columns)
            {
                if (column.Value(row) is { } value)
                {
                    await importer.WriteAsync(value, column.StoreType, cancellationToken);
                }
                else
                {
                    await importer.WriteNullAsync(cancellationToken);
                }
            }
        }

        await importer.CompleteAsync(cancellationToken);
    }
}
