using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Aida.Platform.Data.Sqlite;

/// <summary>
/// Prepared INSERT statements kept per open SQLite connection. SQLite parses and plans a statement on
/// every prepare; the connections live for the life of the process, so each shape is prepared once.
/// </summary>
public static class SqliteInsertStatements
{
    private static readonly ConditionalWeakTable<SqliteConnection, Dictionary<RowShape, (SqliteCommand Command, SqliteParameter[] Parameters)>> Prepared = new();

    public static async Task InsertAsync(SqliteConnection connection, SqliteTransaction transaction, RowShape shape, object entity, CancellationToken cancellationToken)
    {
        var statements = Prepared.GetValue(connection, _ => []);
        if (!statements.TryGetValue(shape, out var statement))
        {
            var command = connection.CreateCommand();
            command.CommandText = $"{Into(shape)} VALUES ({string.Join(", ", shape.Columns.Select((_, i) => $"$p{i}"))})";
            var parameters = shape.Columns.Select((_, i) => command.Parameters.Add(new SqliteParameter($"$p{i}", null))).ToArray();
            statement = (command, parameters);
            statements[shape] = statement;
        }

        statement.Command.Transaction = transaction;
        for (var i = 0; i < shape.Columns.Count; i++)
        {
            statement.Parameters[i].Value = shape.Columns[i].Value(entity) ?? DBNull.Value;
        }

        await statement.Command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>INSERT INTO "table" ("column", …), the statements' common head.</summary>
    private static string Into(RowShape shape) =>
        $"INSERT INTO \"{shape.Table}\" ({string.Join(", ", shape.Columns.Select(c => $"\"{c.Name}\""))})";

    /// <summary>Rows per statement of <see cref="InsertMany{T}"/> (at most; fewer for wide rows).</summary>
    public const int RowsPerStatement = 500;

    /// <summary>SQLite's default bound on parameters per statement (SQLITE_MAX_VARIABLE_NUMBER, 3.32 on).</summary>
    private const int MaxParameters = 32766;

    /// <summary>
    /// Many rows in the caller's transaction, up to <see cref="RowsPerStatement"/> to one multi-row INSERT,
    /// bound by position through the SQLite library itself. Why not one prepared statement per row: in
    /// a transaction SQLite opens a statement savepoint for every INSERT that fires triggers, and FTS5
    /// writes its pending terms out as a new segment at each one, so with the search triggers of
    /// migration 0003 every row became a segment to write and merge again. Why not Microsoft.Data.Sqlite
    /// for the wide statements: it binds each parameter by name, and SQLite finds a name by a linear scan,
    /// so a statement of n parameters costs n² comparisons. Measured (100,000 interactions, 2 cores):
    /// see bench/RESULTS.md, "Interactions: timeline and global search".
    /// </summary>
    public static void InsertMany<T>(SqliteConnection connection, RowShape shape, IReadOnlyCollection<T> rows, string onConflict = "")
        where T : class
    {
        var columns = shape.Columns.Count;
        var perStatement = Math.Max(1, Math.Min(RowsPerStatement, MaxParameters / columns));
        var handle = connection.Handle!;
        sqlite3_stmt? full = null;
        try
        {
            foreach (var chunk in rows.Chunk(perStatement))
            {
                if (chunk.Length == perStatement)
                {
                    full ??= Prepare(handle, shape, perStatement, onConflict);
                    Execute(handle, full, shape, chunk);
                }
                else
                {
                    using var rest = Prepare(handle, shape, chunk.Length, onConflict);
                    Execute(handle, rest, shape, chunk);
                }
            }
        }
        finally
        {
            full?.Dispose();
        }
    }

    private static sqlite3_stmt Prepare(sqlite3 handle, RowShape shape, int rows, string onConflict)
    {
        var columns = shape.Columns.Count;
        var row = "(" + string.Join(", ", Enumerable.Repeat("?", columns)) + ")";
        var sql = Into(shape) + " VALUES " + string.Join(", ", Enumerable.Repeat(row, rows)) + onConflict;
        var rc = raw.sqlite3_prepare_v2(handle, sql, out var statement);
        if (rc != raw.SQLITE_OK)
        {
            statement.Dispose();
            SqliteException.ThrowExceptionForRC(rc, handle);
        }

        return statement;
    }

    private static void Execute<T>(sqlite3 handle, sqlite3_stmt statement, RowShape shape, T[] rows)
        where T : class
    {
        var index = 1;
        foreach (var row in rows)
        {
            foreach (var column in shape.Columns)
            {
                Bind(statement, index++, column.Value(row));
            }
        }

        var rc = raw.sqlite3_step(statement);
        raw.sqlite3_reset(statement);
        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, handle);
        }
    }

    /// <summary>As Microsoft.Data.Sqlite binds the same values (SqliteValueBinder), for the types rows are stored as here.</summary>
    private static void Bind(sqlite3_stmt statement, int index, object? value)
    {
        var rc = value switch
        {
            null or DBNull => raw.sqlite3_bind_null(statement, index),
            string text => raw.sqlite3_bind_text(statement, index, text),
            long number => raw.sqlite3_bind_int64(statement, index, number),
            int number => raw.sqlite3_bind_int64(statement, index, number),
            short number => raw.sqlite3_bind_int64(statement, index, number),
            byte number => raw.sqlite3_bind_int64(statement, index, number),
            bool flag => raw.sqlite3_bind_int64(statement, index, flag ? 1 : 0),
            double real => raw.sqlite3_bind_double(statement, index, real),
            float real => raw.sqlite3_bind_double(statement, index, real),
            decimal number => raw.sqlite3_bind_text(statement, index, number.ToString("0.0###########################", CultureInfo.InvariantCulture)),
            byte[] blob => raw.sqlite3_bind_blob(statement, index, blob),
            DateOnly date => raw.sqlite3_bind_text(statement, index, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            _ => throw new NotSupportedException($"Bulk insert cannot bind a {value.GetType().Name}; give the property a value converter."),
        };
        if (rc != raw.SQLITE_OK)
        {
            throw new InvalidOperationException($"Binding parameter {index} failed ({rc}).");
        }
    }
}
