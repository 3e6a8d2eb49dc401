using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Aida.Platform.Data;

/// <summary>
/// Writes many new rows of one entity type at once, bypassing the change tracker: a statement prepared
/// once and executed per row on SQLite, binary COPY on PostgreSQL. Columns, value converters and store
/// types come from the EF model, so a bulk-written row is the same row a tracked save would write.
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

        var entityType = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped.");
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        var columns = entityType.GetProperties()
            .Where(p => !p.IsShadowProperty() && p.ValueGenerated != ValueGenerated.OnAdd)
            .Select(p => new Column(p.GetColumnName(table)!, p, p.GetTypeMapping().Converter, StoreTypeName(p.GetColumnType())))
            .ToList();

        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Bulk inserts run inside a write transaction (AidaDb.BeginWriteAsync).");
        if (connection is NpgsqlConnection npgsql)
        {
            await CopyAsync(npgsql, table.Name, columns, rows, cancellationToken);
        }
        else
        {
            await InsertPreparedAsync((SqliteConnection)connection, (SqliteTransaction)transaction, table.Name, columns, rows, cancellationToken);
        }
    }

    private sealed record Column(string Name, IProperty Property, Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter? Converter, string StoreType)
    {
        public object? Value(object entity)
        {
            var value = Property.GetGetter().GetClrValueUsingContainingEntity(entity);
            return value is null || Converter is null ? value : Converter.ConvertToProvider(value);
        }
    }

    private static async Task InsertPreparedAsync<T>(
        SqliteConnection connection, SqliteTransaction transaction, string table, List<Column> columns, IReadOnlyCollection<T> rows, CancellationToken cancellationToken)
        where T : class
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c.Name}\""))}) " +
            $"VALUES ({string.Join(", ", columns.Select((_, i) => $"$p{i}"))})";
        var parameters = columns.Select((_, i) => command.Parameters.Add(new SqliteParameter($"$p{i}", null))).ToArray();
        await command.PrepareAsync(cancellationToken);
        foreach (var row in rows)
        {
            for (var i = 0; i < columns.Count; i++)
            {
                parameters[i].Value = columns[i].Value(row) ?? DBNull.Value;
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task CopyAsync<T>(
        NpgsqlConnection connection, string table, List<Column> columns, IReadOnlyCollection<T> rows, CancellationToken cancellationToken)
        where T : class
    {
        var sql = $"COPY \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c.Name}\""))}) FROM STDIN (FORMAT BINARY)";
        await using var importer = await connection.BeginBinaryImportAsync(sql, cancellationToken);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(cancellationToken);
            foreach (var column in columns)
            {
                var value = column.Value(row);
                if (value is null)
                {
                    await importer.WriteNullAsync(cancellationToken);
                }
                else
                {
                    await importer.WriteAsync(value, column.StoreType, cancellationToken);
                }
            }
        }

        await importer.CompleteAsync(cancellationToken);
    }

    /// <summary>"character varying(200)" → "character varying": COPY wants the type, not its length.</summary>
    private static string StoreTypeName(string? columnType)
    {
        var type = columnType ?? "text";
        var paren = type.IndexOf('(', StringComparison.Ordinal);
        return paren < 0 ? type : type[..paren].TrimEnd();
    }

}
