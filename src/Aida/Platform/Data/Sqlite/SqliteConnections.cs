using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Aida.Platform.Data.Sqlite;

public sealed class SqliteOptions
{
    /// <summary>
    /// NORMAL (default): a crashed process loses nothing; a power cut may lose the last commits.
    /// FULL: every commit is flushed to disk before it is acknowledged.
    /// </summary>
    public string Synchronous { get; set; } = "NORMAL";

    public int BusyTimeoutMilliseconds { get; set; } = 10_000;

    /// <summary>
    /// How much of the database file to read through memory mapping (0, the default, turns it off). It
    /// saves a copy per page read, but every open connection maps the file anew and each mapping counts
    /// toward the process's resident memory; measured here it did not pay for that (bench/RESULTS.md).
    /// </summary>
    public long MmapBytes { get; set; }
}

/// <summary>
/// Open SQLite connections, configured once and reused by every unit of work. Opening a connection
/// through EF is expensive on SQLite: each open re-registers EF's SQL functions, which compiles new
/// delegates, and re-runs the pragmas — more than the queries of a typical request cost. A connection
/// handed to EF already open is used as it is.
/// </summary>
public sealed class SqliteConnections(DatabaseSettings settings, SqliteOptions options) : IDisposable
{
    /// <summary>
    /// Switches the SQLite library to multi-thread mode before its first use: no connection is ever used
    /// by two threads at once here, so the per-call connection mutex of the default serialized mode is
    /// pure overhead (it showed as a tenth of the CPU of a list request). Later calls are no-ops.
    /// </summary>
    public static void ConfigureLibrary()
    {
        SQLitePCL.Batteries_V2.Init();
        _ = SQLitePCL.raw.sqlite3_config(SQLitePCL.raw.SQLITE_CONFIG_MULTITHREAD);
        // Memory statistics take one process-wide mutex on every allocation: every connection's queries
        // contend on it. Aida never reads them.
        _ = SQLitePCL.raw.sqlite3_config(SQLitePCL.raw.SQLITE_CONFIG_MEMSTATUS, 0);
    }

    /// <summary>More idle connections than this are closed instead of kept; each holds a page cache.</summary>
    private const int MaxIdle = 32;

    private readonly ConcurrentBag<SqliteConnection> _idle = [];
    private readonly string _connectionString = new SqliteConnectionStringBuilder(settings.ConnectionString) { Pooling = false }.ConnectionString;
    private readonly string _pragmas = Pragmas(options);
    private int _idleCount;

    public SqliteConnection Rent()
    {
        if (_idle.TryTake(out var connection))
        {
            Interlocked.Decrement(ref _idleCount);
            return connection;
        }

        connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        command.ExecuteNonQuery();
        return connection;
    }

    /// <summary>SQLite's own default page cache, about 2 MB (a negative size is in KiB).</summary>
    private const int DefaultCacheKib = 2000;

    /// <summary>Connections a bulk load gave a large page cache (<see cref="EnlargeCache"/>), to be shrunk when they come back.</summary>
    private static readonly ConditionalWeakTable<SqliteConnection, object> Enlarged = new();

    /// <summary>
    /// Gives this connection a page cache of <paramref name="kib"/> KiB until it is returned. A pooled connection
    /// otherwise kept it for good, and with up to <see cref="MaxIdle"/> of them a server that imported once held
    /// gigabytes of pages.
    /// </summary>
    public static void EnlargeCache(SqliteConnection connection, int kib)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA cache_size = -{kib}";
        command.ExecuteNonQuery();
        Enlarged.AddOrUpdate(connection, Enlarged);
    }

    public void Return(SqliteConnection connection)
    {
        if (Enlarged.Remove(connection) && connection.State == System.Data.ConnectionState.Open)
        {
            // Shrinking the cache frees the pages above the new size at once; the C heap then gives them back.
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA cache_size = -{DefaultCacheKib}";
            command.ExecuteNonQuery();
            NativeHeap.Trim();
        }

        // A connection left inside a transaction (a unit of work that failed mid-way) is not reused.
        var clean = connection.State == System.Data.ConnectionState.Open
            && SQLitePCL.raw.sqlite3_get_autocommit(connection.Handle) != 0;
        if (!clean || Interlocked.Increment(ref _idleCount) > MaxIdle)
        {
            if (clean)
            {
                Interlocked.Decrement(ref _idleCount);
            }

            connection.Dispose();
            return;
        }

        _idle.Add(connection);
    }

    public void Dispose()
    {
        while (_idle.TryTake(out var connection))
        {
            connection.Dispose();
        }
    }

    private static string Pragmas(SqliteOptions options)
    {
        var synchronous = options.Synchronous.ToUpperInvariant() switch
        {
            "FULL" => "FULL",
            "NORMAL" => "NORMAL",
            var other => throw new InvalidOperationException($"Sqlite:Synchronous must be NORMAL or FULL, not '{other}'."),
        };
        return $"PRAGMA synchronous={synchronous}; PRAGMA busy_timeout={options.BusyTimeoutMilliseconds}; PRAGMA foreign_keys=ON; PRAGMA mmap_size={options.MmapBytes};";
    }
}
