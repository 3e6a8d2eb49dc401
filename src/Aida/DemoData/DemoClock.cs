namespace Aida.DemoData;

/// <summary>
/// Runs a use case as if it happened on a past day: a service scope whose <see cref="AidaDb"/> reads a clock set
/// back to that day. What the use case stamps — the record's creation, a lead's conversion, a stage entered, its
/// audit entry and events — then carries the demo's date instead of the seeding's minute, and the history reads
/// as it would have been recorded. The clock keeps running from there, so steps in one scope stay in order.
/// </summary>
internal sealed class DemoClock : IServiceProvider, IAsyncDisposable
{
    private readonly AsyncServiceScope _scope;
    private readonly TimeProvider _clock;

    private DemoClock(IServiceProvider services, DateTime at, (Guid Id, string Name)? actor)
    {
        _scope = services.CreateAsyncScope();
        var real = services.GetRequiredService<TimeProvider>();
        _clock = new ShiftedClock(real, real.GetUtcNow() - new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)));
        if (actor is { } user)
        {
            // The rep who did it, as the audit log and "created by" should say; with every permission, as the
            // seeding decides what happened and only borrows the use case to record it.
            _scope.ServiceProvider.GetRequiredService<OperationContext>().BecomeUser(user.Id, user.Name, Access.Everything, null);
        }

        Db = _scope.ServiceProvider.GetRequiredService<IDbContextFactory<AidaDb>>().CreateDbContext();
        Db.Lease(this);
    }

    public AidaDb Db { get; }

    /// <summary>A scope at <paramref name="at"/> (UTC), acting as Aida itself or as <paramref name="actor"/>.</summary>
    public static DemoClock At(IServiceProvider services, DateTime at, (Guid Id, string Name)? actor = null) => new(services, at, actor);

    public object? GetService(Type serviceType) =>
        serviceType == typeof(TimeProvider) ? _clock
        : serviceType == typeof(AidaDb) ? Db
        : _scope.ServiceProvider.GetService(serviceType);

    public async ValueTask DisposeAsync()
    {
        await Db.DisposeAsync();
        await _scope.DisposeAsync();
    }

    private sealed class ShiftedClock(TimeProvider real, TimeSpan back) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => real.GetUtcNow() - back;

        public override TimeZoneInfo LocalTimeZone => real.LocalTimeZone;
    }
}
