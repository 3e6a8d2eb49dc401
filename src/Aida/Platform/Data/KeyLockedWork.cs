using Microsoft.EntityFrameworkCore.Storage;

namespace Aida.Platform.Data;

/// <summary>
/// A unit of work that holds locks on some keys of one kind (<see cref="AidaDb.BeginKeyLockedAsync"/>) until
/// it ends, so a check and the write that depends on it are not interleaved with another writer's of the
/// same keys, while writers of other keys run on. Unlike <see cref="WriteTransaction"/> it does not hold
/// SQLite's write gate: the check reads while others commit, and the save queues at the gate on its own.
/// Commit after saving; disposing rolls back what was not committed and then releases the keys.
/// </summary>
public sealed class KeyLockedWork : IAsyncDisposable
{
    private readonly IDbContextTransaction? _transaction;
    private IDisposable? _keys;
    private bool _completed;

    private KeyLockedWork(IDbContextTransaction? transaction, IDisposable? keys)
    {
        _transaction = transaction;
        _keys = keys;
    }

    /// <summary>Locks taken inside a caller's transaction: they last until it ends, and it commits.</summary>
    internal static KeyLockedWork Joined() => new(null, null);

    /// <summary>Locks that end with <paramref name="transaction"/> (PostgreSQL's transaction-scoped advisory locks).</summary>
    internal static KeyLockedWork InTransaction(IDbContextTransaction transaction) => new(transaction, null);

    /// <summary>Locks held in the process until disposed; each save commits on its own.</summary>
    internal static KeyLockedWork Holding(IDisposable keys) => new(null, keys);

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
            // Only after the commit: whoever waits for these keys must find what was written.
            _keys?.Dispose();
            _keys = null;
        }
    }
}
