using System.Collections.Concurrent;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;

namespace Aida.Platform.Data;

public sealed record Migration(int Version, string Name, string Sql, string Checksum);

public sealed record AppliedMigration(int Version, string Name, string Checksum);

public sealed record MigrationStatus(IReadOnlyList<AppliedMigration> Applied, IReadOnlyList<Migration> Pending)
{
    public bool IsCurrent => Pending.Count == 0;
}

/// <summary>The database and this build disagree about the schema's history; nothing was changed.</summary>
public sealed class MigrationException(string message) : Exception(message);

/// <summary>
/// Applies the SQL migrations embedded in this assembly (Migrations/&lt;provider&gt;/NNNN_name.sql) in
/// version order, each in its own transaction with its checksum recorded in <c>schema_migrations</c>.
/// A recorded migration whose file has since changed, or one this build does not know, stops
/// everything before any change: the schema would no longer be the one the code was written for.
/// Two processes never migrate at once: the dialect holds a lock around the steps
/// (<see cref="DatabaseDialect.MigrateAsync"/>: PostgreSQL an advisory lock, SQLite an immediate
/// transaction around each step that re-reads what is applied).
/// </summary>
public sealed class MigrationRunner
{
    private const string HistoryTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version     INTEGER PRIMARY KEY,
            name        TEXT NOT NULL,
            checksum    TEXT NOT NULL,
            applied_at  TEXT NOT NULL
        )
        """;

    private static readonly ConcurrentDictionary<string, Lazy<IReadOnlyList<Migration>>> ByFolder = new(StringComparer.Ordinal);

    private readonly DatabaseSettings _settings;
    private readonly DatabaseDialect _dialect;
    private readonly ILogger<MigrationRunner> _logger;

    /// <summary>For a database outside the server (the <c>migrate</c> verb, tests): a dialect of its own, used for migrating only.</summary>
    public MigrationRunner(DatabaseSettings settings, ILogger<MigrationRunner> logger)
        : this(settings, DatabaseDialect.For(settings), logger)
    {
    }

    public MigrationRunner(DatabaseSettings settings, DatabaseDialect dialect, ILogger<MigrationRunner> logger)
    {
        _settings = settings;
        _dialect = dialect;
        _logger = logger;
    }

    public static IReadOnlyList<Migration> Embedded(DatabaseProvider provider) =>
        ByFolder.GetOrAdd(DatabaseDialect.MigrationsFolder(provider), folder => new(() => Load(folder))).Value;

    private static IReadOnlyList<Migration> Load(string folder)
    {
        var prefix = $"Aida.Migrations.{folder}/";
        var assembly = typeof(MigrationRunner).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var fileName = resource[prefix.Length..];
            var underscore = fileName.IndexOf('_', StringComparison.Ordinal);
            if (underscore != 4 || !int.TryParse(fileName.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                throw new MigrationException($"Migration file '{fileName}' is not named NNNN_name.sql.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var sql = reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
            migrations.Add(new Migration(version, Path.GetFileNameWithoutExtension(fileName), sql, Checksum(sql)));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new MigrationException($"Migrations must be numbered 0001, 0002, … without gaps; found {migrations[i].Name}.");
            }
        }

        return migrations;
    }

    public static string Checksum(string sql) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql)));

    public async Task<MigrationStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenMigrationConnectionAsync(cancellationToken);
        return await ReadStatusAsync(connection, null, cancellationToken);
    }

    /// <summary>Applies every pending migration; returns how many were applied.</summary>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenMigrationConnectionAsync(cancellationToken);
        return await _dialect.MigrateAsync(connection, this, cancellationToken);
    }

    /// <summary>The steps a dialect's <see cref="DatabaseDialect.MigrateAsync"/> takes under its lock.</summary>
    internal Task CreateHistoryAsync(DbConnection connection, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, null, HistoryTable, cancellationToken);

    internal async Task<MigrationStatus> ReadStatusAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        Compare(await ReadAppliedAsync(connection, transaction, cancellationToken));

    internal async Task ApplyAsync(DbConnection connection, DbTransaction transaction, Migration migration, CancellationToken cancellationToken)
    {
        _logger.LogInformation("Applying migration {Migration} ({Version} of {Count})", migration.Name, migration.Version, Embedded(_settings.Provider).Count);
        await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
        await using var record = connection.CreateCommand();
        record.Transaction = transaction;
        record.CommandText = "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (@v, @n, @c, @t)";
        AddParameter(record, "v", migration.Version);
        AddParameter(record, "n", migration.Name);
        AddParameter(record, "c", migration.Checksum);
        AddParameter(record, "t", DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        await record.ExecuteNonQueryAsync(cancellationToken);
    }

    private MigrationStatus Compare(IReadOnlyList<AppliedMigration> applied)
    {
        var embedded = Embedded(_settings.Provider);
        var byVersion = embedded.ToDictionary(m => m.Version);
        foreach (var recorded in applied)
        {
            if (!byVersion.TryGetValue(recorded.Version, out var migration))
            {
                throw new MigrationException(
                    $"The database has migration {recorded.Name} applied, which this build of Aida does not have. " +
                    "It was migrated by a newer Aida: run that version, or restore a backup taken before the upgrade.");
            }

            if (!string.Equals(migration.Checksum, recorded.Checksum, StringComparison.Ordinal))
            {
                throw new MigrationException(
                    $"Migration {recorded.Name} was changed after it was applied to this database " +
                    $"(recorded checksum {Abbreviate(recorded.Checksum)}, this build has {Abbreviate(migration.Checksum)}). " +
                    "Applied migrations must never change: restore the original file and put the change in a new migration.");
            }
        }

        var appliedVersions = applied.Select(a => a.Version).ToHashSet();
        return new MigrationStatus(applied, embedded.Where(m => !appliedVersions.Contains(m.Version)).ToList());
    }

    // The recorded checksum is whatever the table holds, possibly hand-edited and shorter than a hash.
    private static string Abbreviate(string checksum) => checksum.Length <= 12 ? checksum : checksum[..12] + "…";

    private async Task<IReadOnlyList<AppliedMigration>> ReadAppliedAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var exists = connection.CreateCommand();
        exists.Transaction = transaction;
        exists.CommandText = _dialect.CountHistoryTablesSql;
        if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 0)
        {
            return [];
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT version, name, checksum FROM schema_migrations ORDER BY version";
        var applied = new List<AppliedMigration>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied.Add(new AppliedMigration(Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture), reader.GetString(1), reader.GetString(2)));
        }

        return applied;
    }

    internal static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
