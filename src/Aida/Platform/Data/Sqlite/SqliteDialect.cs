using System.Data.Common;
using Aida.Platform.Search;
using Microsoft.Data.Sqlite;

namespace Aida.Platform.Data.Sqlite;

/// <summary>
/// The embedded database: one file, one writer at a time. Writers of this process queue at a
/// <see cref="WriteGate"/> instead of racing for SQLite's lock; every unit of work borrows an open,
/// configured connection (<see cref="SqliteConnections"/>); a save that only adds rows takes the fast
/// insert path; search is FTS5. No database locks are taken (one writer already serialises every
/// check-then-write in a write transaction; a check kept outside it holds in-process <see cref="KeyedLocks"/>)
/// and no statistics kept.
/// </summary>
public sealed class SqliteDialect(DatabaseSettings settings, SqliteOptions options) : DatabaseDialect
{
    private readonly SqliteConnections _connections = new(settings, options);
    private readonly WriteGate _gate = new();
    private readonly KeyedLocks _keys = new();

    public static string Describe(string connectionString) =>
        $"SQLite database {new SqliteConnectionStringBuilder(connectionString).DataSource}";

    public override void UseProvider(DbContextOptionsBuilder options) =>
        // Each lease is given an open connection from SqliteConnections (AidaDb.Lease).
        options.UseSqlite(settings.ConnectionString);

    public override DbConnection? RentConnection() => _connections.Rent();

    public override void ReturnConnection(DbConnection connection) => _connections.Return((SqliteConnection)connection);

    public override ValueTask<WriteGate.Releaser> EnterWriteGateAsync(CancellationToken cancellationToken) =>
        _gate.EnterAsync(cancellationToken);

    public override WriteGate.Releaser EnterWriteGate() => _gate.Enter();

    /// <summary>
    /// Keys held in this process, the only one writing the file; no transaction, so the check that follows
    /// reads while other writers commit and the save takes the write gate for its insert only. A writer
    /// already inside a write transaction takes none (<see cref="DatabaseDialect.LockAsync(AidaDb, LockName, string, CancellationToken)"/>):
    /// it holds the gate, and waiting for a key whose holder waits for the gate would never end.
    /// </summary>
    public override async Task<WriteTransaction> BeginKeyLockedAsync(AidaDb db, LockName name, IReadOnlyList<string> keys, CancellationToken cancellationToken) =>
        WriteTransaction.Holding(await _keys.EnterAsync(keys.Select(key => $"{(long)name}:{key}"), cancellationToken));

    /// <summary>
    /// The common save that only adds rows (a create with its audit entries and events) runs while every
    /// other writer waits, so it is kept short: statements prepared once per connection, bound and
    /// stepped, no command building per row. The rows are exactly those EF would write (<see cref="RowShape"/>).
    /// </summary>
    public override async ValueTask<int?> TryInsertAddedAsync(AidaDb db, CancellationToken cancellationToken)
    {
        if (!db.ChangeTracker.Entries().All(e => e.State is EntityState.Added or EntityState.Unchanged or EntityState.Detached))
        {
            return null;
        }

        var added = db.ChangeTracker.Entries()
            .Where(e => e.State == EntityState.Added)
            .Select(e => (Entry: e, Shape: RowShape.For(db.Model, e.Metadata.ClrType)))
            .OrderBy(e => e.Shape.InsertOrder)
            .ToList();
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await using (var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken))
        {
            try
            {
                foreach (var (entry, shape) in added)
                {
                    await SqliteInsertStatements.InsertAsync(connection, transaction, shape, entry.Entity, cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
            }
            catch (SqliteException e)
            {
                // The same exception a tracked save throws, so constraint violations map to the same problems.
                throw new DbUpdateException(e.Message, e);
            }
        }

        foreach (var (entry, _) in added)
        {
            // Log rows are written once and never changed; everything else stays tracked as saved.
            entry.State = entry.Entity is AuditEntry or OutboxEvent ? EntityState.Detached : EntityState.Unchanged;
        }

        return added.Count;
    }

    /// <summary>
    /// Index inserts with random keys touch pages all over each index; a batch runs far faster when they
    /// stay in this connection's cache instead of being re-read for every row. The connection gets its usual
    /// cache back when it returns to the pool.
    /// </summary>
    public override Task PrepareBulkInsertAsync(AidaDb db, CancellationToken cancellationToken)
    {
        SqliteConnections.EnlargeCache((SqliteConnection)db.Database.GetDbConnection(), 65_536);
        return Task.CompletedTask;
    }

    /// <summary>Multi-row INSERT statements (<see cref="SqliteInsertStatements.InsertMany{T}"/>).</summary>
    public override Task BulkInsertAsync<T>(AidaDb db, RowShape shape, IReadOnlyCollection<T> rows, CancellationToken cancellationToken)
    {
        SqliteInsertStatements.InsertMany((SqliteConnection)db.Database.GetDbConnection(), shape, rows);
        return Task.CompletedTask;
    }

    /// <summary>The same multi-row INSERT statements, each with an ON CONFLICT … DO UPDATE clause.</summary>
    public override Task BulkUpsertAsync<T>(AidaDb db, RowShape shape, IReadOnlyCollection<T> rows, IReadOnlyList<string> conflictColumns, CancellationToken cancellationToken)
    {
        SqliteInsertStatements.InsertMany((SqliteConnection)db.Database.GetDbConnection(), shape, rows, " " + shape.OnConflictUpdate(conflictColumns));
        return Task.CompletedTask;
    }

    public override ISearchIndex Search { get; } = new Fts5SearchIndex();

    /// <summary>Commits happen one at a time, so the sequence number is commit order.</summary>
    public override async Task<List<(OutboxEvent Event, FeedPosition Position)>> ReadFeedAsync(
        AidaDb db, FeedPosition after, int take, string? type, CancellationToken cancellationToken)
    {
        var query = db.Set<OutboxEvent>().AsNoTracking().Where(e => e.Seq > after.Seq);
        if (!string.IsNullOrEmpty(type))
        {
            query = query.Where(e => e.Type == type);
        }

        var events = await query.OrderBy(e => e.Seq).Take(take).ToListAsync(cancellationToken);
        return events.Select(e => (e, new FeedPosition(0, e.Seq))).ToList();
    }

    public override async Task<FeedPosition> ReadFeedEndAsync(AidaDb db, CancellationToken cancellationToken) =>
        new(0, await db.Set<OutboxEvent>().IgnoreQueryFilters().MaxAsync(e => (long?)e.Seq, cancellationToken) ?? 0);

    /// <summary>SQLite writes one transaction at a time, so the feed serves every commit at once.</summary>
    public override Task<bool> FeedHoldsBackAsync(AidaDb db, CancellationToken cancellationToken) => Task.FromResult(false);

    public override async Task<(int Count, DateTime? Oldest)> FeedLagAsync(AidaDb db, FeedPosition after, int cap, CancellationToken cancellationToken)
    {
        var waiting = db.Set<OutboxEvent>().IgnoreQueryFilters().AsNoTracking().Where(e => e.Seq > after.Seq).OrderBy(e => e.Seq);
        var count = await waiting.Take(cap).CountAsync(cancellationToken);
        var oldest = count == 0 ? null : await waiting.Select(e => (DateTime?)e.OccurredAt).FirstOrDefaultAsync(cancellationToken);
        return (count, oldest);
    }

    /// <summary>"seq".</summary>
    public override bool TryParseFeedPosition(string text, out FeedPosition position)
    {
        var parts = text.Split('.');
        if (parts.Length == 1 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
        {
            position = new FeedPosition(0, seq);
            return true;
        }

        position = default;
        return false;
    }

    public override string FormatFeedPosition(FeedPosition position) => position.Seq.ToString(CultureInfo.InvariantCulture);

    public override Task<ApiTokenMatch?> FindApiTokenAsync(AidaDb db, string hash, CancellationToken cancellationToken) =>
        SqliteApiTokens.FindAsync(db, hash, cancellationToken);

    /// <summary>As <see cref="GuidAsText"/> and <see cref="UtcMicroseconds"/> store them; dates as ISO text, decimals compared as REAL.</summary>
    public override object SqlValue(object value) => value switch
    {
        Guid id => id.ToString("D"),
        DateTime time => (time.ToUniversalTime().Ticks - DateTime.UnixEpoch.Ticks) / 10,
        DateOnly day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        decimal number => (double)number,
        bool flag => flag ? 1L : 0L,
        _ => value,
    };

    /// <summary>The list as a JSON array, read back by json_each.</summary>
    public override (string Sql, object Parameter) OneOf(string column, string placeholder, IReadOnlyList<string> values) =>
        ($"{column} IN (SELECT value FROM json_each({placeholder}))", JsonSerializer.Serialize(values));

    /// <summary>Decimals are TEXT here; compared and added as REAL (exact to the cent up to 15 significant digits).</summary>
    public override string DecimalNumber(string column) => $"CAST({column} AS REAL)";

    public override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no uuid or timestamp types: uuids are lower-case text (sorts like PostgreSQL's
        // uuid, so UUIDv7 keys stay in time order) and times are UTC microseconds since the epoch.
        configurationBuilder.Properties<Guid>().HaveConversion<GuidAsText>();
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcMicroseconds>();
    }

    /// <summary>The embedded database has one node: nothing to coordinate, so it is brought up to date on start.</summary>
    public override bool MigratesOnStart => true;

    public override async Task<DbConnection> OpenMigrationConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(settings.ConnectionString);
        var file = new SqliteConnectionStringBuilder(settings.ConnectionString).DataSource;
        var directory = Path.GetDirectoryName(Path.GetFullPath(file));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public override string CountHistoryTablesSql =>
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'";

    /// <summary>
    /// Each step in an immediate (write) transaction that re-reads what is applied, so a second process
    /// waits for the first step and then finds it done.
    /// </summary>
    public override async Task<int> MigrateAsync(DbConnection connection, MigrationRunner runner, CancellationToken cancellationToken)
    {
        // WAL lets readers work while the one writer commits; the mode is stored in the file.
        await MigrationRunner.ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL", cancellationToken);
        await runner.CreateHistoryAsync(connection, cancellationToken);
        var count = 0;
        while (true)
        {
            await using var transaction = await ((SqliteConnection)connection).BeginTransactionAsync(cancellationToken); // BEGIN IMMEDIATE
            var status = await runner.ReadStatusAsync(connection, transaction, cancellationToken);
            if (status.IsCurrent)
            {
                return count;
            }

            await runner.ApplyAsync(connection, transaction, status.Pending[0], cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            count++;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _connections.Dispose();
            _gate.Dispose();
        }

        base.Dispose(disposing);
    }
}
