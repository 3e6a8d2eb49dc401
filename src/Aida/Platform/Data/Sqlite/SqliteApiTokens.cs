using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Aida.Platform.Data.Sqlite;

/// <summary>
/// The API token lookup (<see cref="ApiTokenLookup"/>) as a statement prepared once per SQLite connection:
/// it runs on every API request, and preparing it anew each time (what EF does) cost more than running it.
/// </summary>
public static class SqliteApiTokens
{
    private static readonly ConditionalWeakTable<SqliteConnection, SqliteCommand> Lookups = new();

    private const string LookupSql = """
        SELECT t.id, t.scope, t.expires_at, t.revoked_at, t.last_used_at, u.id, u.display_name, u.role, u.team_id, u.is_active
        FROM api_tokens AS t JOIN users AS u ON u.id = t.user_id
        WHERE t.hash = $hash
        """;

    public static async Task<ApiTokenMatch?> FindAsync(AidaDb db, string hash, CancellationToken cancellationToken)
    {
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var command = Lookups.GetValue(connection, c =>
        {
            var created = c.CreateCommand();
            created.CommandText = LookupSql;
            created.Parameters.Add(new SqliteParameter("$hash", ""));
            return created;
        });
        command.Parameters[0].Value = hash;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new ApiTokenMatch(
            Guid.Parse(reader.GetString(0)), EnumText<TokenScope>.Parse(reader.GetString(1)),
            Microseconds(reader, 2), Microseconds(reader, 3), Microseconds(reader, 4),
            Guid.Parse(reader.GetString(5)), reader.GetString(6), EnumText<Role>.Parse(reader.GetString(7)),
            reader.GetValue(8) is string team ? Guid.Parse(team) : null, reader.GetBoolean(9));
    }

    /// <summary>Times are stored as microseconds since the Unix epoch (<see cref="UtcMicroseconds"/>).</summary>
    private static DateTime? Microseconds(SqliteDataReader reader, int ordinal) =>
        reader.GetValue(ordinal) is long value ? new DateTime(DateTime.UnixEpoch.Ticks + (value * 10), DateTimeKind.Utc) : null;
}
