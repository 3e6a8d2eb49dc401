namespace Aida.Platform.Events;

/// <summary>
/// Tells this process that a transaction which wrote outbox events has committed, so whatever reads the
/// outbox (the live stream, deliverers) can look now instead of at its next poll. A hint only: it fires
/// in the process that committed, so readers still poll for other nodes' commits, and it carries nothing
/// a reader could trust instead of reading the feed. Handlers must be quick and must not throw.
/// </summary>
public sealed class OutboxCommits
{
    public event Action? Committed;

    internal void Report() => Committed?.Invoke();
}

/// <summary>
/// Reports commits of transactions in which a save wrote outbox events (<see cref="AidaDb.UncommittedEvents"/>):
/// a save inside a transaction is not news until the transaction commits.
/// </summary>
internal sealed class OutboxCommitInterceptor : Microsoft.EntityFrameworkCore.Diagnostics.DbTransactionInterceptor
{
    public override void TransactionCommitted(System.Data.Common.DbTransaction transaction, Microsoft.EntityFrameworkCore.Diagnostics.TransactionEndEventData eventData) =>
        (eventData.Context as AidaDb)?.ReportCommittedEvents();

    public override Task TransactionCommittedAsync(System.Data.Common.DbTransaction transaction, Microsoft.EntityFrameworkCore.Diagnostics.TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        (eventData.Context as AidaDb)?.ReportCommittedEvents();
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(System.Data.Common.DbTransaction transaction, Microsoft.EntityFrameworkCore.Diagnostics.TransactionEndEventData eventData) =>
        (eventData.Context as AidaDb)?.ForgetUncommittedEvents();

    public override Task TransactionRolledBackAsync(System.Data.Common.DbTransaction transaction, Microsoft.EntityFrameworkCore.Diagnostics.TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        (eventData.Context as AidaDb)?.ForgetUncommittedEvents();
        return Task.CompletedTask;
    }
}
