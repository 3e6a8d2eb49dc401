using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Aida.Platform.Data;

public sealed class SqliteOptions
{
    /// <summary>
    /// NORMAL (default): a crashed process loses nothing; a power cut may lose the last commits.
    /// FULL: every commit is flushed to disk before it is acknowledged.
    /// </summary>
    public string Synchronous { get; set; } = "NORMAL";

    public int BusyTimeoutMilliseconds { get; set; } = 10_000;
}

/// <summary>Per-connection SQLite settings, applied each time EF opens a connection from the pool.</summary>
public sealed class SqliteConnectionSetup(SqliteOptions options) : DbConnectionInterceptor
{
    private readonly string _pragmas = Pragmas(options);

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Pragmas(SqliteOptions options)
    {
        var synchronous = options.Synchronous.ToUpperInvariant() switch
        {
            "FULL" => "FULL",
            "NORMAL" => "NORMAL",
            var other => throw new InvalidOperationException($"Sqlite:Synchronous must be NORMAL or FULL, not '{other}'."),
        };
        return $"PRAGMA synchronous={synchronous}; PRAGMA busy_timeout={options.BusyTimeoutMilliseconds}; PRAGMA foreign_keys=ON;";
    }
}
