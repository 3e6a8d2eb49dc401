using Microsoft.EntityFrameworkCore.Storage;

namespace Aida.Platform.Data;

/// <summary>
/// One unit of work that reads, checks and writes, and what it holds until it ends. Two kinds:
/// <list type="bullet">
/// <item><see cref="AidaDb.BeginWriteAsync"/>: one database transaction around everything, holding the
/// SQLite write gate for its whole life.</item>
/// <item><see cref="AidaDb.BeginKeyLockedAsync"/>: locks on some keys of one kind, so a check and the write
/// that depends on it are not interleaved with another writer's of the same keys while writers of other
/// keys run on. It does not hold the write gate: the check reads while others commit, and the save
/// queues at the gate on its own.</item>
/// </list>
/// Nested scopes join the outer one and leave the commit to it, so a use case can be composed into a
/// larger one (idempotent POST, merge, import). Commit after saving; disposing rolls back what was not
/// committed, then lets go of the gate or the keys.
/// </summary>
public sealed class WriteTransaction : IAsyncDisposable
{
    private readonly IDbContextTransaction? _transaction;
    private IDisposable? _held;
    private bool _completed;

    private WriteTransaction(IDbContextTransaction? transaction, IDisposable? held)
    {
        _transaction = transaction;
        _held = held;
    }

    /// <summary>Inside a caller's unit of work: what it takes lasts until that one ends, and that one commits.</summary>
    internal static WriteTransaction Joined() => new(null, null);

    internal static WriteTransaction Owned(IDbContextTransaction transaction, WriteGate.Releaser gate) => new(transaction, gate);

    /// <summary>A transaction whose locks end with it (PostgreSQL's transaction-scoped advisory locks).</summary>
    internal static WriteTransaction Owned(IDbContextTransaction transaction) => new(transaction, null);

    /// <summary>Locks held in the process until disposed; each save commits on its own.</summary>
    internal static WriteTransaction Holding(IDisposable keys) => new(null, keys);

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        if (_transaction is not null && !_completed)
        {
            await _transaction.CommitAsync(cancellationToken);
        }

        _completed = true;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_transaction is not null)
            {
                // Disposing an uncommitted transaction rolls it back (and ends its locks).
                await _transaction.DisposeAsync();
            }
        }
        finally
        {
            // Only after the commit: whoever waits for the gate or these keys must find what was written.
            _held?.Dispose();
            _held = null;
        }
    }
}
