namespace Aida.Platform.Data;

/// <summary>
/// SQLite admits one writer at a time; letting many connections race for its lock ends in busy-wait
/// sleeps and SQLITE_BUSY errors under load. Writers in this process queue here instead, so each write
/// transaction starts with the lock free. The dialect holds the gate (<see cref="DatabaseDialect.EnterWriteGateAsync"/>):
/// PostgreSQL needs none, and its writers get an empty <see cref="Releaser"/>.
/// </summary>
public sealed class WriteGate : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(1, 1);

    public async ValueTask<Releaser> EnterAsync(CancellationToken cancellationToken)
    {
        await _semaphore.WaitAsync(cancellationToken);
        return new Releaser(_semaphore);
    }

    public Releaser Enter()
    {
        _semaphore.Wait();
        return new Releaser(_semaphore);
    }

    public void Dispose() => _semaphore.Dispose();

    public readonly struct Releaser(SemaphoreSlim? semaphore) : IDisposable
    {
        public void Dispose() => semaphore?.Release();
    }
}
