using Aida.Platform.Data;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Aida.Tests.Infrastructure;

/// <summary>
/// A fresh, private database: a copy of a migrated SQLite file in a temporary directory, or a new
/// PostgreSQL database cloned from a migrated template. Each provider's template is migrated once per
/// test run, so a database is ready in milliseconds, yet the app still starts through the real
/// migration runner, which verifies every checksum on the copy.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private static readonly SemaphoreSlim TemplateLock = new(1, 1);
    private static string? _template;
    private static readonly SemaphoreSlim SqliteTemplateLock = new(1, 1);
    private static string? _sqliteTemplate;

    private readonly string? _directory;
    private readonly string? _postgresName;

    private TestDatabase(DatabaseSettings settings, string dataDirectory, string? directory, string? postgresName)
    {
        Settings = settings;
        DataDirectory = dataDirectory;
        _directory = directory;
        _postgresName = postgresName;
    }

    public DatabaseSettings Settings { get; }

    public string DataDirectory { get; }

    public DatabaseKind Kind => Settings.Provider == DatabaseProvider.Sqlite ? DatabaseKind.Sqlite : DatabaseKind.Postgres;

    /// <param name="migrated">False gives an empty database (migration tests); true a migrated one.</param>
    public static async Task<TestDatabase> CreateAsync(DatabaseKind kind, bool migrated = true)
    {
        var directory = Directory.CreateTempSubdirectory("aida-test-").FullName;
        if (kind == DatabaseKind.Sqlite)
        {
            if (migrated)
            {
                var sqliteTemplate = await SqliteTemplateAsync();
                foreach (var file in Directory.EnumerateFiles(sqliteTemplate))
                {
                    File.Copy(file, Path.Combine(directory, Path.GetFileName(file)));
                }
            }

            return new TestDatabase(DatabaseSettings.Resolve(null, directory), directory, directory, null);
        }

        var name = $"aida_t_{Guid.NewGuid():N}";
        var template = migrated ? await TemplateAsync() : null;
        await AdminAsync(template is null ? $"CREATE DATABASE {name}" : $"CREATE DATABASE {name} TEMPLATE {template}");
        return new TestDatabase(DatabaseSettings.Resolve(ConnectionString(name), directory), directory, directory, name);
    }

    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable("AIDA_TEST_PG")
        ?? throw new InvalidOperationException(
            "AIDA_TEST_PG is not set, so the PostgreSQL half of the tests cannot run. Run the suite with .ci/run " +
            "(or .ci/with-postgres dotnet test), which starts a throwaway PostgreSQL cluster.");

    public static string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = database }.ConnectionString;

    public async ValueTask DisposeAsync()
    {
        if (_postgresName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await AdminAsync($"DROP DATABASE IF EXISTS {_postgresName} WITH (FORCE)");
        }

        if (_directory is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open by a lingering handle; the OS temp cleaner takes it later.
            }
        }
    }

    private static async Task<string> TemplateAsync()
    {
        await TemplateLock.WaitAsync();
        try
        {
            if (_template is null)
            {
                var name = $"aida_template_{Environment.ProcessId}_{Guid.NewGuid():N}"[..40];
                await AdminAsync($"CREATE DATABASE {name}");
                var settings = DatabaseSettings.Resolve(ConnectionString(name) + ";Pooling=false", ".");
                await new MigrationRunner(settings, NullLogger<MigrationRunner>.Instance).MigrateAsync(CancellationToken.None);
                _template = name;

                // A shared development cluster would otherwise collect one template per test run.
                AppDomain.CurrentDomain.ProcessExit += (_, _) => AdminAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)").GetAwaiter().GetResult();
            }

            return _template;
        }
        finally
        {
            TemplateLock.Release();
        }
    }

    /// <summary>
    /// A directory holding one migrated SQLite database, its write-ahead log checkpointed into the main
    /// file, so that copying the directory copies the whole database.
    /// </summary>
    private static async Task<string> SqliteTemplateAsync()
    {
        await SqliteTemplateLock.WaitAsync();
        try
        {
            if (_sqliteTemplate is null)
            {
                var directory = Directory.CreateTempSubdirectory("aida-template-").FullName;
                var settings = DatabaseSettings.Resolve(null, directory);
                await new MigrationRunner(settings, NullLogger<MigrationRunner>.Instance).MigrateAsync(CancellationToken.None);
                await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection(settings.ConnectionString))
                {
                    await connection.OpenAsync();
                    await using var checkpoint = connection.CreateCommand();
                    checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
                    await using var result = await checkpoint.ExecuteReaderAsync();
                    // busy, frames in the log, frames checkpointed: the whole log must now be in the main file.
                    if (!await result.ReadAsync() || result.GetInt64(0) != 0 || result.GetInt64(1) != result.GetInt64(2))
                    {
                        throw new InvalidOperationException("The SQLite template's write-ahead log could not be checkpointed.");
                    }
                }

                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                // The shared-memory index is rebuilt by SQLite from the file and its log; it is never copied.
                foreach (var file in Directory.EnumerateFiles(directory, "*-shm"))
                {
                    File.Delete(file);
                }

                _sqliteTemplate = directory;
                AppDomain.CurrentDomain.ProcessExit += (_, _) =>
                {
                    try
                    {
                        Directory.Delete(directory, recursive: true);
                    }
                    catch (IOException)
                    {
                        // Left for the OS temp cleaner, like a test database still held open.
                    }
                };
            }

            return _sqliteTemplate;
        }
        finally
        {
            SqliteTemplateLock.Release();
        }
    }

    private static async Task AdminAsync(string sql)
    {
        // CREATE DATABASE … TEMPLATE fails while another session touches the template; retry briefly.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(AdminConnectionString);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand(sql, connection);
                await command.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 20)
            {
                await Task.Delay(50 * attempt);
            }
        }
    }
}
