using System.Collections.Frozen;
using System.Data.Common;
using Aida.Platform.Data.Postgres;
using Aida.Platform.Data.Sqlite;
using Aida.Platform.Search;

namespace Aida.Platform.Data;

/// <summary>
/// Everything that differs between the databases Aida runs on, in one place per provider
/// (<see cref="SqliteDialect"/>, <see cref="PostgresDialect"/>). One instance is chosen from
/// <see cref="DatabaseSettings"/> when the server is composed (<see cref="For"/>), travels with the
/// DbContext options, and is reached as <see cref="AidaDb.Dialect"/>. Features never ask which provider
/// they run on: they call <see cref="AidaDb"/> (BeginWriteAsync, LockAsync, LockRowAsync, BulkInsert…),
/// which forwards here.
/// <para>
/// A member's default is what a database needs when it does nothing special; a dialect overrides
/// what it must. A new provider is a subclass, a migrations folder and a row in <see cref="Providers"/>.
/// </para>
/// </summary>
public abstract class DatabaseDialect : IDisposable
{
    private sealed record Registration(
        string MigrationsFolder,
        Func<DatabaseSettings, IConfiguration?, DatabaseDialect> Create,
        Func<string, string> Describe);

    /// <summary>The one place a provider is chosen.</summary>
    private static readonly FrozenDictionary<DatabaseProvider, Registration> Providers = new Dictionary<DatabaseProvider, Registration>
    {
        [DatabaseProvider.Sqlite] = new(
            "sqlite",
            (settings, configuration) => new SqliteDialect(settings, configuration?.GetSection("Sqlite").Get<SqliteOptions>() ?? new SqliteOptions()),
            SqliteDialect.Describe),
        [DatabaseProvider.Postgres] = new(
            "postgres",
            (settings, _) => new PostgresDialect(settings),
            PostgresDialect.Describe),
    }.ToFrozenDictionary();

    /// <summary>
    /// The dialect for <paramref name="settings"/>; its provider-specific options come from
    /// <paramref name="configuration"/> (the "Sqlite" section), defaults without one.
    /// </summary>
    public static DatabaseDialect For(DatabaseSettings settings, IConfiguration? configuration = null) =>
        Providers[settings.Provider].Create(settings, configuration);

    /// <summary>The folder under Migrations/ that holds <paramref name="provider"/>'s NNNN_name.sql files.</summary>
    public static string MigrationsFolder(DatabaseProvider provider) => Providers[provider].MigrationsFolder;

    /// <summary>A description of the database safe to print: never includes a password.</summary>
    public static string Describe(DatabaseSettings settings) => Providers[settings.Provider].Describe(settings.ConnectionString);

    /// <summary>Process-wide set-up of the providers' client libraries, before any of them is used.</summary>
    public static void ConfigureLibraries() => SqliteConnections.ConfigureLibrary();

    // ---- Registration and connections -------------------------------------------------------------

    /// <summary>Points EF at this database (UseSqlite, UseNpgsql, …).</summary>
    public abstract void UseProvider(DbContextOptionsBuilder options);

    /// <summary>
    /// An open connection for one unit of work, handed to EF as it is; null lets EF open its own from the
    /// provider's pool. What is rented is returned by <see cref="ReturnConnection"/> when the unit ends.
    /// </summary>
    public virtual DbConnection? RentConnection() => null;

    public virtual void ReturnConnection(DbConnection connection) => connection.Dispose();

    // ---- Write transactions and the write gate ----------------------------------------------------

    /// <summary>
    /// Queues a writer of this process behind the others, where the database admits one writer at a
    /// time. The default admits everyone at once: the database arbitrates.
    /// </summary>
    public virtual ValueTask<WriteGate.Releaser> EnterWriteGateAsync(CancellationToken cancellationToken) => default;

    public virtual WriteGate.Releaser EnterWriteGate() => default;

    /// <summary>A new write transaction (<see cref="AidaDb.BeginWriteAsync"/> joins an open one instead), holding the write gate for its life.</summary>
    public virtual async Task<WriteTransaction> BeginWriteAsync(AidaDb db, CancellationToken cancellationToken)
    {
        var entered = await EnterWriteGateAsync(cancellationToken);
        try
        {
            var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            return WriteTransaction.Owned(transaction, entered);
        }
        catch
        {
            entered.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The fast insert path: saves a change set that only adds rows without EF's command building, and
    /// returns how many rows it wrote; null when it does not apply (then EF saves). Called inside the write gate.
    /// </summary>
    public virtual ValueTask<int?> TryInsertAddedAsync(AidaDb db, CancellationToken cancellationToken) => default;

    // ---- Locks ------------------------------------------------------------------------------------

    /// <summary>
    /// Serialises one kind of check-then-write across nodes until the transaction ends. The default takes
    /// no lock: a database with one writer at a time already serialises them.
    /// </summary>
    public virtual Task LockAsync(AidaDb db, LockName name, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Like <see cref="LockAsync(AidaDb, LockName, CancellationToken)"/>, for one value of <paramref name="name"/> only.</summary>
    public virtual Task LockAsync(AidaDb db, LockName name, string key, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Like <see cref="LockAsync(AidaDb, LockName, string, CancellationToken)"/> for each of <paramref name="keys"/>, which come in ordinal order.</summary>
    public virtual async Task LockAsync(AidaDb db, LockName name, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        foreach (var key in keys)
        {
            await LockAsync(db, name, key, cancellationToken);
        }
    }

    /// <summary>
    /// A unit of work holding <paramref name="keys"/> (distinct, in ordinal order) of <paramref name="name"/>
    /// until it ends, without the write gate (<see cref="AidaDb.BeginKeyLockedAsync"/>). The default: a
    /// transaction of its own, with the keys locked in it by <see cref="LockAsync(AidaDb, LockName, IReadOnlyList{string}, CancellationToken)"/>.
    /// </summary>
    public virtual async Task<WriteTransaction> BeginKeyLockedAsync(AidaDb db, LockName name, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            await LockAsync(db, name, keys, cancellationToken);
            return WriteTransaction.Owned(transaction);
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    /// <summary>Holds the row of <typeparamref name="T"/> with key <paramref name="id"/> until the transaction ends.</summary>
    public virtual Task LockRowAsync<T>(AidaDb db, Guid id, CancellationToken cancellationToken)
        where T : class => Task.CompletedTask;

    // ---- Bulk loading -----------------------------------------------------------------------------

    /// <summary>Readies the write transaction just begun for a bulk load (<see cref="AidaDb.BeginBulkInsertAsync"/>).</summary>
    public virtual Task PrepareBulkInsertAsync(AidaDb db, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Writes <paramref name="rows"/>, shaped as <paramref name="shape"/>, in the current transaction (<see cref="BulkInsert"/>).</summary>
    public abstract Task BulkInsertAsync<T>(AidaDb db, RowShape shape, IReadOnlyCollection<T> rows, CancellationToken cancellationToken)
        where T : class;

    /// <summary>
    /// Writes <paramref name="rows"/> as <see cref="BulkInsertAsync{T}"/> does, except that a row whose
    /// <paramref name="conflictColumns"/> (a unique key) match a stored row updates that row in place: cheaper
    /// than deleting and inserting again, since an index whose columns do not change is not written.
    /// </summary>
    public abstract Task BulkUpsertAsync<T>(AidaDb db, RowShape shape, IReadOnlyCollection<T> rows, IReadOnlyList<string> conflictColumns, CancellationToken cancellationToken)
        where T : class;

    /// <summary>After a bulk load: brings the planner's statistics up to date, where the database keeps any.</summary>
    public virtual Task RefreshStatisticsAsync(AidaDb db, CancellationToken cancellationToken) => Task.CompletedTask;

    // ---- Count tables -----------------------------------------------------------------------------

    /// <summary>
    /// Replaces each key's rows of <paramref name="table"/> with one row of their sum (a key summing to zero
    /// keeps no row), inside the caller's write transaction. The default serves a database with one writer at
    /// a time: nothing can be appended between reading the last id and deleting up to it.
    /// </summary>
    public virtual async Task FoldCountsAsync(AidaDb db, CountTable table, CancellationToken cancellationToken)
    {
        // The table's and columns' names are the registration's constants, never input.
        var lastId = $"SELECT MAX(id) AS \"Value\" FROM {table.Table}";
        var last = await db.Database.SqlQueryRaw<long?>(lastId).SingleAsync(cancellationToken);
        if (last is null)
        {
            return;
        }

        var keys = string.Join(", ", table.Keys);
        var sums = $"INSERT INTO {table.Table} ({keys}, {table.Count}) SELECT {keys}, SUM({table.Count}) FROM {table.Table} WHERE id <= {{0}} GROUP BY {keys} HAVING SUM({table.Count}) <> 0";
        await db.Database.ExecuteSqlRawAsync(sums, [last.Value], cancellationToken);
        var folded = $"DELETE FROM {table.Table} WHERE id <= {{0}}";
        await db.Database.ExecuteSqlRawAsync(folded, [last.Value], cancellationToken);
    }

    // ---- Reads with a provider's own shape --------------------------------------------------------

    /// <summary>The full-text index over search_documents (<see cref="FullTextSearch"/>).</summary>
    public abstract ISearchIndex Search { get; }

    /// <summary>Up to <paramref name="take"/> events after <paramref name="after"/>, in commit order (<see cref="EventFeed"/>).</summary>
    public abstract Task<List<(OutboxEvent Event, FeedPosition Position)>> ReadFeedAsync(
        AidaDb db, FeedPosition after, int take, string? type, CancellationToken cancellationToken);

    /// <summary>
    /// The position of the last event the feed serves now, whoever may read it (the start of the feed when it is
    /// empty): a reader that continues from here sees every event committed later, and none before. One indexed row.
    /// </summary>
    public abstract Task<FeedPosition> ReadFeedEndAsync(AidaDb db, CancellationToken cancellationToken);

    /// <summary>
    /// A publisher's lag: how many events come after <paramref name="after"/> in commit order (counted up
    /// to <paramref name="cap"/>, so a long outage costs a bounded read), and when the first of them happened.
    /// It counts events the feed does not serve yet (a transaction still ahead of them is running): they wait too.
    /// </summary>
    public abstract Task<(int Count, DateTime? Oldest)> FeedLagAsync(AidaDb db, FeedPosition after, int cap, CancellationToken cancellationToken);

    /// <summary>
    /// Whether committed events wait that the feed does not serve yet (on PostgreSQL, until every transaction
    /// older than theirs has ended): a reader that found nothing new will find them shortly, so it should look
    /// again soon rather than sleep until its next interval. Never true on SQLite, whose commits come in order.
    /// </summary>
    public virtual async Task<bool> FeedHoldsBackAsync(AidaDb db, CancellationToken cancellationToken) =>
        (await FeedLagAsync(db, await ReadFeedEndAsync(db, cancellationToken), cap: 1, cancellationToken)).Count > 0;

    /// <summary>The feed cursor's text form, as this dialect writes it with <see cref="FormatFeedPosition"/>.</summary>
    public abstract bool TryParseFeedPosition(string text, out FeedPosition position);

    public abstract string FormatFeedPosition(FeedPosition position);

    /// <summary>The API token and its user, looked up by hash on every API request.</summary>
    public virtual Task<ApiTokenMatch?> FindApiTokenAsync(AidaDb db, string hash, CancellationToken cancellationToken) =>
        ApiTokenLookup.FindAsync(db, hash, cancellationToken);

    // ---- Raw SQL values ------------------------------------------------------------------------------

    /// <summary>
    /// <paramref name="value"/> as a parameter of a hand-written statement, stored as EF stores it in this
    /// database (set-based statements a feature writes itself, e.g. segment recalculation). The default:
    /// the client library maps the CLR type as the schema does.
    /// </summary>
    public virtual object SqlValue(object value) => value is DateTime time ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : value;

    /// <summary>A decimal column as a number the database compares and adds (SQLite keeps decimals as text).</summary>
    public virtual string DecimalNumber(string column) => column;

    /// <summary>
    /// "<paramref name="column"/> is one of <paramref name="values"/>" for a hand-written statement, the list
    /// travelling as the one parameter written as <paramref name="placeholder"/> (here a text array). One
    /// parameter, not one per value: SQLite finds a named parameter by a linear scan of the statement's names,
    /// so binding a list of n costs n² comparisons, which was a tenth of an import's time.
    /// </summary>
    public virtual (string Sql, object Parameter) OneOf(string column, string placeholder, IReadOnlyList<string> values) =>
        ($"{column} = ANY({placeholder})", values.ToArray());

    // ---- Model conventions ------------------------------------------------------------------------

    /// <summary>Type conventions for every property of the model (store types the database lacks).</summary>
    public virtual void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
    }

    /// <summary>Columns and types only this database has, added after the features' configurations.</summary>
    public virtual void ConfigureModel(ModelBuilder modelBuilder) => Search.ConfigureModel(modelBuilder);

    // ---- Migrations -------------------------------------------------------------------------------

    /// <summary>Whether <c>serve</c> migrates on start without being asked (<see cref="Hosting.Startup"/>).</summary>
    public abstract bool MigratesOnStart { get; }

    /// <summary>A connection of its own for <see cref="MigrationRunner"/>, outside any pool.</summary>
    public abstract Task<DbConnection> OpenMigrationConnectionAsync(CancellationToken cancellationToken);

    /// <summary>A query counting the schema_migrations tables the connection sees (0 or 1).</summary>
    public abstract string CountHistoryTablesSql { get; }

    /// <summary>
    /// Applies what <paramref name="runner"/> finds pending, so that two processes never migrate at once;
    /// returns how many migrations were applied.
    /// </summary>
    public abstract Task<int> MigrateAsync(DbConnection connection, MigrationRunner runner, CancellationToken cancellationToken);

    /// <summary>Closes what the dialect holds for the server's life (connections, pools).</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
