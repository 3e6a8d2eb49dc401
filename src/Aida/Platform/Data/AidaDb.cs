using System.Data.Common;
using System.Linq.Expressions;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Aida.Platform.Data;

/// <summary>
/// The one DbContext. Features contribute their entities through <see cref="IEntityTypeConfiguration{T}"/>
/// classes in their own folders; this class owns what every table shares (snake_case names, spec-named
/// enums, soft-delete filters) and the save pipeline: versions and timestamps are stamped, then the
/// audit entries and outbox events that describe the same changes are added, in the same save.
/// What differs between databases is the <see cref="Dialect"/>'s; the methods below that take locks,
/// begin transactions or load in bulk forward to it, so features never ask which database they run on.
/// Instances are pooled (building a context is not free) and leased to one unit of work at a time;
/// <see cref="Lease"/> hands each lease its actor and clock.
/// </summary>
public sealed class AidaDb(DbContextOptions<AidaDb> options) : DbContext(options)
{
    private readonly Dictionary<object, JsonObject> _auditContexts = new(ReferenceEqualityComparer.Instance);

    private OperationContext? _operation;
    private TimeProvider? _clock;
    private IReadOnlyList<Events.IEventReaction> _reactions = [];
    private IReadOnlyList<Events.IEventsCommittedListener> _committedListeners = [];
    private DbConnection? _connection;

    /// <summary>Read by the record-level query filters, per query, for the current actor.</summary>
    public bool ReachesAllCustomers => Operation.Access.AllCustomers;

    public bool ReachesUnassigned => Operation.Access.Unassigned;

    // Scalars only: a collection parameter (say, a list of reachable owners) would be inlined into the
    // SQL, which then misses EF's command cache on every request. Reach is tested per row instead.
    public Guid ActorId => Operation.ActorId;

    public Guid? ActorTeamId => Operation.Access.TeamId;

    public bool ActorManagesTeams => Operation.Access.ManagesTeams;

    public bool ActorIsAdmin => Operation.Access.IsAdmin;

    /// <summary>The database's differences, chosen once when the server was composed (<see cref="DataModule"/>).</summary>
    public DatabaseDialect Dialect { get; } = options.FindExtension<DialectOptionsExtension>()?.Dialect
        ?? throw new InvalidOperationException("AidaDb needs a dialect: register it with AddData, which chooses one.");

    /// <summary>Events published since the last save; the next save writes them to the outbox.</summary>
    internal List<Events.PendingEvent> PendingEvents { get; } = [];


    /// <summary>How many of <see cref="PendingEvents"/> the reactions have seen.</summary>
    internal int ReactedEvents { get; set; }

    /// <summary>Events were written since the last commit: when it commits, the listeners hear of it (<see cref="Events.EventsCommitted"/>).</summary>
    internal bool WroteEvents { get; set; }

    public OperationContext Operation => _operation ?? throw NotLeased();

    public TimeProvider Clock => _clock ?? throw NotLeased();

    /// <summary>
    /// Prepares a pooled context for one unit of work: its actor and clock, and the connection the dialect
    /// rents it (SQLite: one already open and configured), which goes back when the context is disposed.
    /// </summary>
    public void Lease(IServiceProvider services)
    {
        _operation = services.GetRequiredService<OperationContext>();
        _clock = services.GetRequiredService<TimeProvider>();
        _reactions = services.GetServices<Events.IEventReaction>().ToList();
        _committedListeners = services.GetServices<Events.IEventsCommittedListener>().ToList();
        WroteEvents = false;
        _auditContexts.Clear();
        PendingEvents.Clear();
        ReactedEvents = 0;
        _connection = Dialect.RentConnection();
        if (_connection is not null)
        {
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
            Dialect.ReturnConnection(connection);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        var connection = _connection;
        _connection = null;
        await base.DisposeAsync();
        if (connection is not null)
        {
            Dialect.ReturnConnection(connection);
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
    /// caller already started it. Where the database has one writer at a time (SQLite), it queues behind
    /// other writers of this process first.
    /// </summary>
    public async Task<WriteTransaction> BeginWriteAsync(CancellationToken cancellationToken)
    {
        if (Database.CurrentTransaction is not null)
        {
            return WriteTransaction.Joined();
        }

        return await Dialect.BeginWriteAsync(this, cancellationToken);
    }

    /// <summary>
    /// Starts a unit of work for a bulk load (<see cref="BulkInsert"/>), as <see cref="BeginWriteAsync"/>
    /// does, with the connection readied for many rows (SQLite: a larger page cache).
    /// </summary>
    public async Task<WriteTransaction> BeginBulkInsertAsync(CancellationToken cancellationToken)
    {
        var transaction = await BeginWriteAsync(cancellationToken);
        try
        {
            await Dialect.PrepareBulkInsertAsync(this, cancellationToken);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Serialises one kind of check-then-write across nodes (e.g. hierarchy cycle checks) until the
    /// transaction ends. SQLite already runs one writer at a time, so only PostgreSQL takes a lock.
    /// </summary>
    public Task LockAsync(LockName name, CancellationToken cancellationToken) =>
        Dialect.LockAsync(this, name, cancellationToken);

    /// <summary>
    /// Like <see cref="LockAsync(LockName, CancellationToken)"/>, for one value only (an email address, say):
    /// writers of the same value wait for each other, writers of different values do not. Take several
    /// in ordinal order, so two transactions never wait for each other's.
    /// </summary>
    public Task LockAsync(LockName name, string key, CancellationToken cancellationToken) =>
        Dialect.LockAsync(this, name, key, cancellationToken);

    /// <summary>
    /// Starts a unit of work that holds <paramref name="keys"/> of <paramref name="name"/> until it ends, for a
    /// check-then-write whose check should not hold the write gate (a create's duplicate check, say):
    /// writers sharing a key run one after the other, and the later one's check sees what the earlier one
    /// committed. Save inside it, then commit it. Inside a caller's write transaction the keys are locked
    /// there instead (<see cref="LockAsync(LockName, string, CancellationToken)"/>) and last until it ends.
    /// </summary>
    public async Task<WriteTransaction> BeginKeyLockedAsync(LockName name, IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        var ordered = keys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (Database.CurrentTransaction is not null)
        {
            await Dialect.LockAsync(this, name, ordered, cancellationToken);
            return WriteTransaction.Joined();
        }

        return ordered.Count == 0 ? WriteTransaction.Joined() : await Dialect.BeginKeyLockedAsync(this, name, ordered, cancellationToken);
    }

    /// <summary>
    /// Holds one row until the transaction ends, so two changes of it at once are applied one after the
    /// other (the second reads what the first wrote) instead of one failing on the version check.
    /// </summary>
    public Task LockRowAsync<T>(Guid id, CancellationToken cancellationToken)
        where T : class =>
        Dialect.LockRowAsync<T>(this, id, cancellationToken);

    /// <summary>
    /// After a bulk load: brings the planner's statistics up to date now (PostgreSQL), so the first reads
    /// afterwards do not plan as if the tables were still nearly empty.
    /// </summary>
    public Task RefreshStatisticsAsync(CancellationToken cancellationToken) =>
        Dialect.RefreshStatisticsAsync(this, cancellationToken);

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        if (PendingEvents.Skip(ReactedEvents).Any(e => _reactions.Any(r => r.ReactsTo(e.Type))))
        {
            throw new InvalidOperationException("An event with reactions is saved synchronously; reactions read the database, so save with SaveChangesAsync.");
        }

        Stamp();
        if (Database.CurrentTransaction is not null)
        {
            return base.SaveChanges(acceptAllChangesOnSuccess);
        }

        int saved;
        using (Dialect.EnterWriteGate())
        {
            saved = base.SaveChanges(acceptAllChangesOnSuccess);
        }

        // Saved outside a transaction: committed now, and the gate is free for whoever the listeners wake.
        EventsCommitted();
        return saved;
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        await ReactAsync(cancellationToken);
        Stamp();
        if (Database.CurrentTransaction is not null)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        int saved;
        using (await Dialect.EnterWriteGateAsync(cancellationToken))
        {
            saved = await Dialect.TryInsertAddedAsync(this, cancellationToken)
                ?? await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        // Saved outside a transaction: committed now, and the gate is free for whoever the listeners wake.
        EventsCommitted();
        return saved;
    }

    /// <summary>
    /// A save outside a transaction, or a transaction, committed: if it wrote events, those who act on new events
    /// (the webhook deliverer, …) hear of it now instead of at their next poll. Called by <see cref="Events.EventsCommitted"/> too.
    /// </summary>
    internal void EventsCommitted()
    {
        if (!WroteEvents)
        {
            return;
        }

        WroteEvents = false;
        foreach (var listener in _committedListeners)
        {
            listener.EventsCommitted();
        }
    }

    /// <summary>
    /// Lets other features react to the events about to be written (<see cref="Events.IEventReaction"/>),
    /// in order, including to the events their reactions publish, so all of it is saved together.
    /// </summary>
    private async Task ReactAsync(CancellationToken cancellationToken)
    {
        for (; ReactedEvents < PendingEvents.Count; ReactedEvents++)
        {
            var pending = PendingEvents[ReactedEvents];
            foreach (var reaction in _reactions)
            {
                if (reaction.ReactsTo(pending.Type))
                {
                    await reaction.ReactAsync(this, pending, cancellationToken);
                }
            }
        }
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

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        Dialect.ConfigureConventions(configurationBuilder);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AidaDb).Assembly);
        Dialect.ConfigureModel(modelBuilder);

        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                if (property.FindAnnotation(RelationalAnnotationNames.ColumnName) is null)
                {
                    property.SetColumnName(Naming.ToSnakeCase(property.Name));
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

    /// <summary>
    /// One model per dialect: the column types and converters differ (tests run both in one process).
    /// A dialect's conventions depend on its type alone, never on its settings.
    /// </summary>
    internal sealed class DialectModelCacheKeyFactory : IModelCacheKeyFactory
    {
        public object Create(DbContext context, bool designTime) =>
            (context.GetType(), (context as AidaDb)?.Dialect.GetType(), designTime);
    }
}

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
