using Microsoft.EntityFrameworkCore.Storage;

namespace Aida.Platform.Data;

/// <summary>
/// One unit of work that reads, checks and writes: it holds the SQLite write gate for its whole life
/// and wraps everything in one database transaction. Nested scopes join the outer one and leave the
/// commit to it, so a use case can be composed into a larger one (idempotent POST, merge, import).
/// </summary>
public sealed class WriteTransaction : IAsyncDisposable
{
    private readonly IDbContextTransaction? _transaction;
    private WriteGate.Releaser _gate;
    private bool _completed;

    private WriteTransaction(IDbContextTransaction? transaction, WriteGate.Releaser gate)
    {
        _transaction = transaction;
        _gate = gate;
    }

    internal static WriteTransaction Joined() => new(null, default);

    internal static WriteTransaction Owned(IDbContextTransaction transaction, WriteGate.Releaser gate) =>
        new(transaction, gate);

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
                // Disposing an uncommitted transaction rolls it back.
                await _transaction.DisposeAsync();
            }
        }
        finally
        {
            _gate.Dispose();
            _gate = default;
        }
    }
}
