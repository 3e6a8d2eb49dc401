using System.Data.Common;
using System.Globalization;
using Aida.Platform.Data;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Aida.Tests.Platform.Data;

/// <summary>Plain ADO.NET against a test database, for looking at (and tampering with) what EF does not map.</summary>
public static class RawSql
{
    public static async Task<DbConnection> OpenAsync(DatabaseSettings settings)
    {
        DbConnection connection = settings.Provider == DatabaseProvider.Sqlite
            ? new SqliteConnection(settings.ConnectionString)
            : new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public static async Task<int> ExecuteAsync(DatabaseSettings settings, string sql)
    {
        await using var connection = await OpenAsync(settings);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>Every row, each column as invariant text (null stays null).</summary>
    public static async Task<List<string?[]>> QueryAsync(DatabaseSettings settings, string sql)
    {
        await using var connection = await OpenAsync(settings);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string?[]>();
        while (await reader.ReadAsync())
        {
            var row = new string?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = await reader.IsDBNullAsync(i) ? null : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture);
            }

            rows.Add(row);
        }

        return rows;
    }
}
