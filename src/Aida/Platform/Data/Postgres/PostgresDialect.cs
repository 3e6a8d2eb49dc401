using System.Data.Common;
using Aida.Platform.Search;
using Npgsql;

namespace Aida.Platform.Data.Postgres;

/// <summary>
/// The production database: many writers and many nodes. Check-then-write is serialised with advisory
/// and row locks held to the end of the transaction; bulk loads use binary COPY and refresh the planner's
/// statistics after them; search is a weighted tsvector with GIN; the event feed reads in transaction
/// order. Connections come from one <see cref="NpgsqlDataSource"/> per server.
/// </summary>
public sealed class PostgresDialect : DatabaseDialect
{
    /// <summary>The migration runner's session lock: "AIDA" + 0 (<see cref="LockName"/> counts on from 1).</summary>
    private const long MigrationLockKey = 0x41494441_0000;

    private readonly DatabaseSettings _settings;
    private readonly Lazy<NpgsqlDataSource> _dataSource;

    public PostgresDialect(DatabaseSettings settings)
    {
        _settings = settings;
        _dataSource = new(() => new NpgsqlDataSourceBuilder(settings.ConnectionString).Build());
    }

    public static string Describe(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        return $"PostgreSQL database '{b.Database}' on {b.Host}:{b.Port}";
    }

    public override void UseProvider(DbContextOptionsBuilder options) => options.UseNpgsql(_dataSource.Value);

    public override async Task LockAsync(AidaDb db, LockName name, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({(long)name})", cancellationToken);

    /// <summary>
    /// Writers of the same value wait for each other, writers of different values do not. Take several in
    /// ordinal order, so two transactions never wait for each other's.
    /// </summary>
    public override async Task LockAsync(AidaDb db, LockName name, string key, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({key}, {(long)name}))", cancellationToken);

    /// <summary>
    /// All keys in one round trip, each as <see cref="LockAsync(AidaDb, LockName, string, CancellationToken)"/> takes
    /// it. They are taken in the order of their lock ids, so two transactions never wait for each other's
    /// even where the ids do not sort as the keys do.
    /// </summary>
    public override async Task LockAsync(AidaDb db, LockName name, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return;
        }

        var values = keys.ToArray();
        await db.Database.ExecuteSqlAsync(
            $"SELECT pg_advisory_xact_lock(id) FROM (SELECT DISTINCT hashtextextended(key, {(long)name}) AS id FROM unnest({values}) AS key ORDER BY id) AS ids",
            cancellationToken);
    }

    /// <summary>
    /// SELECT … FOR NO KEY UPDATE: a second writer of the same row waits for the first to end, then reads what it
    /// wrote. Not FOR UPDATE: that also blocks the key-share lock every foreign-key check takes, so a scoring chunk
    /// inserting a score for a customer being merged (holding the scoring lock) waited on the merge's row lock while
    /// the merge's soft delete waited in its trigger for the scoring lock — a deadlock. No caller changes a key.
    /// </summary>
    public override async Task LockRowAsync<T>(AidaDb db, Guid id, CancellationToken cancellationToken)
    {
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped.");
        var key = entity.FindPrimaryKey()!.Properties.Single().GetColumnName();
        var sql = $"SELECT 1 FROM {entity.GetTableName()} WHERE {key} = {{0}} FOR NO KEY UPDATE";
        await db.Database.ExecuteSqlRawAsync(sql, [id], cancellationToken);
    }

    /// <summary>
    /// One statement, so it reads one snapshot: the rows it deletes are the rows it sums. A row appended by a
    /// transaction that commits meanwhile is not in the snapshot, so it stays for the next fold; a second
    /// node folding at once waits on the deleted rows and then finds them gone, so nothing is summed twice.
    /// </summary>
    public override async Task FoldCountsAsync(AidaDb db, CountTable table, CancellationToken cancellationToken)
    {
        var keys = string.Join(", ", table.Keys);
        var fold = $"WITH folded AS (DELETE FROM {table.Table} RETURNING {keys}, {table.Count}) "
            + $"INSERT INTO {table.Table} ({keys}, {table.Count}) SELECT {keys}, SUM({table.Count}) FROM folded GROUP BY {keys} HAVING SUM({table.Count}) <> 0";
        await db.Database.ExecuteSqlRawAsync(fold, cancellationToken);
    }

    /// <summary>Binary COPY of the rows' columns.</summary>
    public override Task BulkInsertAsync<T>(AidaDb db, RowShape shape, IReadOnlyCollection<T> rows, CancellationToken cancellationToken) =>
        CopyAsync(db, shape.Table, shape, rows, cancellationToken);

    /// <summary>
    /// COPY into a temporary table shaped like the target (one per connection, emptied after use), then one
    /// INSERT … SELECT … ON CONFLICT DO UPDATE: COPY itself cannot update.
    /// </summary>
    public override async Task BulkUpsertAsync<T>(AidaDb db, RowShape shape, IReadOnlyCollection<T> rows, IReadOnlyList<string> conflictColumns, CancellationToken cancellationToken)
    {
        var staging = "staged_" + shape.Table;
        var columns = string.Join(", ", shape.Columns.Select(c => $"\"{c.Name}\""));
        var create = $"CREATE TEMP TABLE IF NOT EXISTS \"{staging}\" (LIKE \"{shape.Table}\")";
        var upsert = $"INSERT INTO \"{shape.Table}\" ({columns}) SELECT {columns} FROM \"{staging}\" {shape.OnConflictUpdate(conflictColumns)}";
        var empty = $"TRUNCATE \"{staging}\"";
        await db.Database.ExecuteSqlRawAsync(create, cancellationToken);
        await CopyAsync(db, staging, shape, rows, cancellationToken);
        await db.Database.ExecuteSqlRawAsync(upsert, cancellationToken);
        await db.Database.ExecuteSqlRawAsync(empty, cancellationToken);
    }

    private static async Task CopyAsync<T>(AidaDb db, string table, RowShape shape, IReadOnlyCollection<T> rows, CancellationToken cancellationToken)
        where T : class
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var sql = $"COPY \"{table}\" ({string.Join(", ", shape.Columns.Select(c => $"\"{c.Name}\""))}) FROM STDIN (FORMAT BINARY)";
        await using var importer = await connection.BeginBinaryImportAsync(sql, cancellationToken);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(cancellationToken);
            foreach (var column in shape.Columns)
            {
                if (column.Value(row) is { } value)
                {
                    await importer.WriteAsync(value, column.StoreType, cancellationToken);
                }
                else
                {
                    await importer.WriteNullAsync(cancellationToken);
                }
            }
        }

        await importer.CompleteAsync(cancellationToken);
    }

    /// <summary>
    /// Refreshes the planner's statistics now rather than when autovacuum gets to it. Until then the
    /// planner still believes the tables are nearly empty and picks plans that read whole indexes
    /// (measured: the first page of customers took 155 ms instead of 5 ms for the first minute after
    /// importing 100,000). The search index is written by triggers as the rows go in, so it is refreshed with them.
    /// </summary>
    public override async Task RefreshStatisticsAsync(AidaDb db, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlRawAsync("ANALYZE customers, contacts, accounts, addresses, interactions, search_documents", cancellationToken);

    public override ISearchIndex Search { get; } = new TsVectorSearchIndex();

    /// <summary>
    /// Sequence numbers are taken before commit, so a later number can become visible first. The feed
    /// therefore orders by (transaction id, sequence) and only serves events of transactions older than
    /// every transaction still running (pg_snapshot_xmin), which cannot be overtaken any more.
    /// </summary>
    public override async Task<List<(OutboxEvent Event, FeedPosition Position)>> ReadFeedAsync(
        AidaDb db, FeedPosition after, int take, string? type, CancellationToken cancellationToken)
    {
        var tx = after.Transaction.ToString(CultureInfo.InvariantCulture);
        var query = db.Set<OutboxEvent>().FromSql($"""
            SELECT * FROM events
            WHERE (tx_id, seq) > ({tx}::xid8, {after.Seq})
              AND tx_id < pg_snapshot_xmin(pg_current_snapshot())
            """).AsNoTracking();
        if (!string.IsNullOrEmpty(type))
        {
            query = query.Where(e => e.Type == type);
        }

        var events = await query
            .OrderBy(e => EF.Property<ulong>(e, "TxId")).ThenBy(e => e.Seq)
            .Take(take)
            .Select(e => new { Event = e, TxId = EF.Property<ulong>(e, "TxId") })
            .ToListAsync(cancellationToken);
        return events.Select(e => (e.Event, new FeedPosition(e.TxId, e.Event.Seq))).ToList();
    }

    /// <summary>The last of the events ReadFeedAsync serves now: of transactions older than every one still running.</summary>
    public override async Task<FeedPosition> ReadFeedEndAsync(AidaDb db, CancellationToken cancellationToken)
    {
        var last = await db.Set<OutboxEvent>().FromSql($"""
            SELECT * FROM events
            WHERE tx_id < pg_snapshot_xmin(pg_current_snapshot())
            """).IgnoreQueryFilters()
            .OrderByDescending(e => EF.Property<ulong>(e, "TxId")).ThenByDescending(e => e.Seq)
            .Select(e => new { TxId = EF.Property<ulong>(e, "TxId"), e.Seq })
            .FirstOrDefaultAsync(cancellationToken);
        return last is null ? default : new FeedPosition(last.TxId, last.Seq);
    }

    public override async Task<(int Count, DateTime? Oldest)> FeedLagAsync(AidaDb db, FeedPosition after, int cap, CancellationToken cancellationToken)
    {
        var tx = after.Transaction.ToString(CultureInfo.InvariantCulture);
        var waiting = db.Set<OutboxEvent>().FromSql($"SELECT * FROM events WHERE (tx_id, seq) > ({tx}::xid8, {after.Seq})")
            .IgnoreQueryFilters().AsNoTracking()
            .OrderBy(e => EF.Property<ulong>(e, "TxId")).ThenBy(e => e.Seq);
        var count = await waiting.Take(cap).CountAsync(cancellationToken);
        var oldest = count == 0 ? null : await waiting.Select(e => (DateTime?)e.OccurredAt).FirstOrDefaultAsync(cancellationToken);
        return (count, oldest);
    }

    /// <summary>"txid.seq".</summary>
    public override bool TryParseFeedPosition(string text, out FeedPosition position)
    {
        var parts = text.Split('.');
        const NumberStyles digits = NumberStyles.None;
        var culture = CultureInfo.InvariantCulture;
        if (parts.Length == 2
            && ulong.TryParse(parts[0], digits, culture, out var transaction)
            && long.TryParse(parts[1], digits, culture, out var seq))
        {
            position = new FeedPosition(transaction, seq);
            return true;
        }

        position = default;
        return false;
    }

    public override string FormatFeedPosition(FeedPosition position) =>
        string.Create(CultureInfo.InvariantCulture, $"{position.Transaction}.{position.Seq}");

    /// <summary>The greatest (transaction id, sequence): the feed's order, read from its index.</summary>
    public override void ConfigureModel(ModelBuilder modelBuilder)
    {
        // The outbox is ordered by the writing transaction's id as well as its sequence (ReadFeedAsync).
        modelBuilder.Entity<OutboxEvent>().Property<ulong>("TxId").HasColumnType("xid8").ValueGeneratedOnAdd();
        base.ConfigureModel(modelBuilder);
        foreach (var property in modelBuilder.Model.GetEntityTypes().SelectMany(e => e.GetProperties()))
        {
            if (property.FindAnnotation(JsonColumns.Annotation) is not null)
            {
                property.SetColumnType("jsonb");
            }
        }
    }

    /// <summary>
    /// Shared production data is migrated only when asked (<c>aida migrate</c> or <c>serve --migrate</c>),
    /// so an upgrade is always a deliberate act.
    /// </summary>
    public override bool MigratesOnStart => false;

    public override async Task<DbConnection> OpenMigrationConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(_settings.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public override string CountHistoryTablesSql =>
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_migrations'";

    /// <summary>Under a session advisory lock, so a second node waits and then finds nothing pending.</summary>
    public override async Task<int> MigrateAsync(DbConnection connection, MigrationRunner runner, CancellationToken cancellationToken)
    {
        await MigrationRunner.ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({MigrationLockKey})", cancellationToken);
        try
        {
            await runner.CreateHistoryAsync(connection, cancellationToken);
            var status = await runner.ReadStatusAsync(connection, null, cancellationToken);
            foreach (var migration in status.Pending)
            {
                await using var transaction = await ((NpgsqlConnection)connection).BeginTransactionAsync(cancellationToken);
                await runner.ApplyAsync(connection, transaction, migration, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }

            return status.Pending.Count;
        }
        finally
        {
            await MigrationRunner.ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({MigrationLockKey})", CancellationToken.None);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _dataSource.IsValueCreated)
        {
            _dataSource.Value.Dispose();
        }

        base.Dispose(disposing);
    }
}
