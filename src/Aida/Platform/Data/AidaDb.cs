using System.Linq.Expressions;
using System.Text.Json.Nodes;
using Aida.Platform.Audit;
using Aida.Platform.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Aida.Platform.Data;

/// <summary>
/// The one DbContext. Features contribute their entities through <see cref="IEntityTypeConfiguration{T}"/>
/// classes in their own folders; this class owns what every table shares: snake_case names, spec-named
/// enums, soft-delete filters, version stamping, the audit trail and the SQLite write gate.
/// Instances are pooled (building a context is not free) and leased to one unit of work at a time;
/// <see cref="Lease"/> hands each lease its actor and clock.
/// </summary>
public sealed class AidaDb(DbContextOptions<AidaDb> options) : DbContext(options)
{
    private readonly Dictionary<object, JsonObject> _auditContexts = new(ReferenceEqualityComparer.Instance);
    private DatabaseProvider? _provider;

    private OperationContext? _operation;
    private TimeProvider? _clock;
    private WriteGate? _gate;
    private SqliteConnections? _sqlite;
    private Microsoft.Data.Sqlite.SqliteConnection? _connection;

    /// <summary>Read by the record-level query filters, per query, for the current actor.</summary>
    public bool ReachesAllCustomers => Operation.Access.AllCustomers;

    public bool ReachesUnassigned => Operation.Access.Unassigned;

    // Scalars only: a collection parameter (say, a list of reachable owners) would be inlined into the
    // SQL, which then misses EF's command cache on every request. Reach is tested per row instead.
    public Guid ActorId => Operation.ActorId;

    public Guid? ActorTeamId => Operation.Access.TeamId;

    public bool ActorManagesTeams => Operation.Access.ManagesTeams;

    public bool ActorIsAdmin => Operation.Access.IsAdmin;

    public DatabaseProvider Provider => _provider ??= Database.IsSqlite() ? DatabaseProvider.Sqlite : DatabaseProvider.Postgres;

    /// <summary>Events published since the last save; the next save writes them to the outbox.</summary>
    internal List<Events.PendingEvent> PendingEvents { get; } = [];

    public OperationContext Operation => _operation ?? throw NotLeased();

    public TimeProvider Clock => _clock ?? throw NotLeased();

    private WriteGate Gate => _gate ?? throw NotLeased();

    /// <summary>
    /// Prepares a pooled context for one unit of work: its actor, clock and write gate, and on SQLite an
    /// open connection from <see cref="SqliteConnections"/>, which goes back when the context is disposed.
    /// </summary>
    public void Lease(IServiceProvider services)
    {
        _operation = services.GetRequiredService<OperationContext>();
        _clock = services.GetRequiredService<TimeProvider>();
        _gate = services.GetRequiredService<WriteGate>();
        _auditContexts.Clear();
        PendingEvents.Clear();
        if (Provider == DatabaseProvider.Sqlite)
        {
            _sqlite = services.GetRequiredService<SqliteConnections>();
            _connection = _sqlite.Rent();
            Database.SetDbConnection(_connection, contextOwnsConnection: false);
        }
    }

    public override void Dispose()
    {
        var connection = _connection;
        _connection = null;
        base.Dispose();
        if (connection is not null)
        {
            _sqlite!.Return(connection);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        var connection = _connection;
        _connection = null;
        await base.DisposeAsync();
        if (connection is not null)
        {
            _sqlite!.Return(connection);
        }
    }

    private static InvalidOperationException NotLeased() =>
        new("AidaDb is pooled: resolve it from a service scope, which leases it, instead of constructing it.");

    /// <summary>Attaches the reason for a change to the audit entry the next save writes for <paramref name="entity"/>.</summary>
    public void AnnotateAudit(object entity, JsonObject context) => _auditContexts[entity] = context;

    /// <summary>The API names of the fields of <paramref name="entity"/> that differ from what was loaded.</summary>
    public IReadOnlyList<string> ChangedFields(object entity)
    {
        var entry = Entry(entity);
        entry.DetectChanges();
        return entry.Properties
            .Where(p => p.IsModified && !Equals(p.OriginalValue, p.CurrentValue) && p.Metadata.FindAnnotation(AuditRecorder.NotAuditedAnnotation) is null)
            .Select(p => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(p.Metadata.Name))
            .ToList();
    }

    /// <summary>
    /// Starts a unit of work that reads, checks and writes atomically. Joins the current one if a
    /// caller already started it. On SQLite it queues behind other writers of this process first.
    /// </summary>
    public async Task<WriteTransaction> BeginWriteAsync(CancellationToken cancellationToken)
    {
        if (Database.CurrentTransaction is not null)
        {
            return WriteTransaction.Joined();
        }

        var entered = Provider == DatabaseProvider.Sqlite ? await Gate.EnterAsync(cancellationToken) : default;
        try
        {
            var transaction = await Database.BeginTransactionAsync(cancellationToken);
            return WriteTransaction.Owned(transaction, entered);
        }
        catch
        {
            entered.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Serialises one kind of check-then-write across nodes (e.g. hierarchy cycle checks) until the
    /// transaction ends. SQLite already runs one writer at a time, so only PostgreSQL takes a lock.
    /// </summary>
    public async Task LockAsync(LockName name, CancellationToken cancellationToken)
    {
        if (Provider == DatabaseProvider.Postgres)
        {
            await Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({(long)name})", cancellationToken);
        }
    }

    /// <summary>
    /// Like <see cref="LockAsync(LockName, CancellationToken)"/>, for one value only (an email address, say):
    /// writers of the same value wait for each other, writers of different values do not. Take several
    /// in ordinal order, so two transactions never wait for each other's.
    /// </summary>
    public async Task LockAsync(LockName name, string key, CancellationToken cancellationToken)
    {
        if (Provider == DatabaseProvider.Postgres)
        {
            await Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({key}, {(long)name}))", cancellationToken);
        }
    }

    /// <summary>
    /// After a bulk load: refresh PostgreSQL's planner statistics now rather than when autovacuum gets to
    /// it. Until then the planner still believes the tables are nearly empty and picks plans that read
    /// whole indexes (measured: the first page of customers took 155 ms instead of 5 ms for the first
    /// minute after importing 100,000). SQLite keeps no statistics unless asked, and its plans here are
    /// chosen without them, so it is left alone. The search index is written by triggers as the rows
    /// go in, so it is refreshed with them.
    /// </summary>
    public async Task RefreshStatisticsAsync(CancellationToken cancellationToken)
    {
        if (Provider == DatabaseProvider.Postgres)
        {
            await Database.ExecuteSqlRawAsync("ANALYZE customers, contacts, accounts, addresses, interactions, search_documents", cancellationToken);
        }
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        Stamp();
        if (Provider != DatabaseProvider.Sqlite || Database.CurrentTransaction is not null)
        {
            return base.SaveChanges(acceptAllChangesOnSuccess);
        }

        using var entered = Gate.Enter();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        Stamp();
        if (Provider != DatabaseProvider.Sqlite || Database.CurrentTransaction is not null)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        using var entered = await Gate.EnterAsync(cancellationToken);
        return ChangeTracker.Entries().All(e => e.State is EntityState.Added or EntityState.Unchanged or EntityState.Detached)
            ? await InsertAddedAsync(cancellationToken)
            : await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>
    /// The common SQLite save that only adds rows (a create with its audit entries and events) runs while
    /// every other writer waits, so it is kept short: statements prepared once per connection, bound and
    /// stepped, no command building per row. The rows are exactly those EF would write (<see cref="RowShape"/>).
    /// </summary>
    private async Task<int> InsertAddedAsync(CancellationToken cancellationToken)
    {
        var added = ChangeTracker.Entries()
            .Where(e => e.State == EntityState.Added)
            .Select(e => (Entry: e, Shape: RowShape.For(Model, e.Metadata.ClrType)))
            .OrderBy(e => e.Shape.InsertOrder)
            .ToList();
        var connection = (Microsoft.Data.Sqlite.SqliteConnection)Database.GetDbConnection();
        await using (var transaction = (Microsoft.Data.Sqlite.SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken))
        {
            try
            {
                foreach (var (entry, shape) in added)
                {
                    await SqliteInsertStatements.InsertAsync(connection, transaction, shape, entry.Entity, cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
            }
            catch (Microsoft.Data.Sqlite.SqliteException e)
            {
                // The same exception a tracked save throws, so constraint violations map to the same problems.
                throw new DbUpdateException(e.Message, e);
            }
        }

        foreach (var (entry, _) in added)
        {
            // Log rows are written once and never changed; everything else stays tracked as saved.
            entry.State = entry.Entity is AuditEntry or Events.OutboxEvent ? EntityState.Detached : EntityState.Unchanged;
        }

        return added.Count;
    }

    /// <summary>Timestamps and versions, then the audit entries and events that describe the same changes.</summary>
    private void Stamp()
    {
        ChangeTracker.DetectChanges();
        var now = Clock.UtcNow();
        foreach (var entry in ChangeTracker.Entries<AuditedEntity>())
        {
            if (entry.State == EntityState.Added)
            {
                entry.Entity.CreatedAt = entry.Entity.CreatedAt == default ? now : entry.Entity.CreatedAt;
                entry.Entity.UpdatedAt = now;
                entry.Entity.Version = 1;
            }
            else if (entry.State == EntityState.Modified)
            {
                entry.Entity.UpdatedAt = now;
                entry.Entity.Version++;
            }
        }

        AuditRecorder.Record(this, Operation, now, _auditContexts);
        _auditContexts.Clear();
        Events.Outbox.Flush(this, now);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        if (Provider == DatabaseProvider.Sqlite)
        {
            // SQLite has no uuid or timestamp types: uuids are lower-case text (sorts like PostgreSQL's
            // uuid, so UUIDv7 keys stay in time order) and times are UTC microseconds since the epoch.
            configurationBuilder.Properties<Guid>().HaveConversion<GuidAsText>();
            configurationBuilder.Properties<DateTime>().HaveConversion<UtcMicroseconds>();
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AidaDb).Assembly);

        if (Provider == DatabaseProvider.Postgres)
        {
            // The outbox is ordered by the writing transaction's id as well as its sequence (EventFeed).
            modelBuilder.Entity<Events.OutboxEvent>().Property<ulong>("TxId").HasColumnType("xid8").ValueGeneratedOnAdd();
            // The weighted tsvector the GIN index serves, computed by PostgreSQL itself (Platform/Search).
            modelBuilder.Entity<Search.SearchDocument>().Property<NpgsqlTypes.NpgsqlTsVector>("Document")
                .IsRequired().HasColumnType("tsvector").HasComputedColumnSql("setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', body), 'B')", stored: true);
        }

        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                if (property.FindAnnotation(RelationalAnnotationNames.ColumnName) is null)
                {
                    property.SetColumnName(Naming.ToSnakeCase(property.Name));
                }

                if (Provider == DatabaseProvider.Postgres && property.FindAnnotation(JsonColumns.Annotation) is not null)
                {
                    property.SetColumnType("jsonb");
                }

                if (property.ClrType == typeof(Guid) && property.IsPrimaryKey())
                {
                    // Keys are UUIDv7s the entity makes itself; nothing is generated by the database.
                    property.ValueGenerated = ValueGenerated.Never;
                }

                var enumType = Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType;
                if (enumType.IsEnum)
                {
                    property.SetValueConverter((ValueConverter)Activator.CreateInstance(typeof(EnumAsText<>).MakeGenericType(enumType))!);
                }
            }

            if (typeof(TrackedEntity).IsAssignableFrom(entity.ClrType) && entity.BaseType is null)
            {
                // Soft-deleted rows vanish from every query; a privacy workflow that must see them asks with IgnoreQueryFilters().
                var row = Expression.Parameter(entity.ClrType, "row");
                var deletedAt = Expression.Property(row, nameof(TrackedEntity.DeletedAt));
                var filter = Expression.Lambda(Expression.Equal(deletedAt, Expression.Constant(null, typeof(DateTime?))), row);
                entity.SetQueryFilter(filter);
            }
        }

        // Record-level access (issue 4): features narrow their filters to what the actor may see.
        foreach (var filters in typeof(AidaDb).Assembly.GetTypes()
                     .Where(t => typeof(IRecordFilters).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false }))
        {
            ((IRecordFilters)Activator.CreateInstance(filters)!).Apply(modelBuilder, this);
        }
    }

    /// <summary>One model per provider: the column types and converters differ (tests run both in one process).</summary>
    internal sealed class ProviderModelCacheKeyFactory : IModelCacheKeyFactory
    {
        public object Create(DbContext context, bool designTime) =>
            (context.GetType(), (context as AidaDb)?.Provider, designTime);
    }
}

public enum LockName : long
{
    CustomerHierarchy = 0x41494441_0001,
    ActivityReminders = 0x41494441_0002,
    LeadCapture = 0x41494441_0005,
    LeadRouting = 0x41494441_0006,
    LeadConversion = 0x41494441_0008,
}

public sealed class EnumAsText<TEnum>() : ValueConverter<TEnum, string>(
    v => EnumText<TEnum>.ToText(v),
    v => EnumText<TEnum>.Parse(v))
    where TEnum : struct, Enum;

public sealed class GuidAsText() : ValueConverter<Guid, string>(
    v => v.ToString("D"),
    v => Guid.Parse(v));

public sealed class UtcMicroseconds() : ValueConverter<DateTime, long>(
    v => (v.ToUniversalTime().Ticks - DateTime.UnixEpoch.Ticks) / 10,
    v => new DateTime(DateTime.UnixEpoch.Ticks + (v * 10), DateTimeKind.Utc));

public static class JsonColumns
{
    public const string Annotation = "Aida:Json";

    /// <summary>A JSON document kept as text: jsonb on PostgreSQL, TEXT on SQLite.</summary>
    public static Microsoft.EntityFrameworkCore.Metadata.Builders.PropertyBuilder<T> IsJson<T>(
        this Microsoft.EntityFrameworkCore.Metadata.Builders.PropertyBuilder<T> property) =>
        property.HasAnnotation(Annotation, true);
}

/// <summary>
/// Query filters that depend on who is asking (record-level access). Implementations reference the
/// <see cref="AidaDb"/> they are given; EF turns those references into per-query parameters.
/// </summary>
public interface IRecordFilters
{
    void Apply(ModelBuilder modelBuilder, AidaDb db);
}
