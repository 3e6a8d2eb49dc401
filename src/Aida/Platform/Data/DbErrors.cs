using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Aida.Platform.Data;

/// <summary>
/// Turns the database's own constraint errors into the API field they protect. Handlers check rules
/// first and give friendly messages; these constraints are the backstop when two requests race.
/// Features register their unique indexes under both spellings: the PostgreSQL constraint name and
/// SQLite's "table.column" form (SQLite reports columns, not index names).
/// </summary>
public static class DbErrors
{
    private static readonly ConcurrentDictionary<string, (string Field, string Message)> UniqueConstraints =
        new(StringComparer.Ordinal);

    public static void RegisterUnique(string indexName, string sqliteColumns, string field, string message)
    {
        UniqueConstraints[indexName] = (field, message);
        UniqueConstraints[sqliteColumns] = (field, message);
    }

    public static bool IsUniqueViolation(DbUpdateException exception, out string field, out string message)
    {
        string? key = exception.InnerException switch
        {
            PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg => pg.ConstraintName,
            SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 } sqlite =>
                SqliteColumns(sqlite.Message),
            _ => null,
        };

        if (key is null)
        {
            field = message = "";
            return false;
        }

        (field, message) = UniqueConstraints.TryGetValue(key, out var known)
            ? known
            : ("id", "A record with the same unique values already exists.");
        return true;
    }

    public static bool IsForeignKeyViolation(DbUpdateException exception) => exception.InnerException switch
    {
        PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation } => true,
        SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 787 } => true,
        _ => false,
    };

    // "SQLite Error 19: 'UNIQUE constraint failed: contacts.customer_id, contacts.x'."
    private static string? SqliteColumns(string message)
    {
        const string marker = "UNIQUE constraint failed: ";
        var start = message.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        var text = message[(start + marker.Length)..];
        var end = text.IndexOf('\'', StringComparison.Ordinal);
        return end < 0 ? text.Trim() : text[..end].Trim();
    }
}
