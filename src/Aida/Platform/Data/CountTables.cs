using Microsoft.Extensions.Options;

namespace Aida.Platform.Data;

/// <summary>
/// A table of counts kept as the data changes (the AIDA board's customers per stage, the HealthDashboard's
/// customers per grade): a key's count is the sum of its rows. Writers append rows of +1 and -1 and never
/// update one, so concurrent writers never queue on a shared counter row; <see cref="CountFolding"/>
/// replaces each key's rows with one row of their sum, so a reader sums a few hundred rows, not a million.
/// Each table is created by a migration with an integer <c>id</c> that grows with every row appended.
/// </summary>
/// <param name="Table">The table's name.</param>
/// <param name="Keys">The columns a count is kept per (owner, stage…).</param>
/// <param name="Count">The column holding each row's count.</param>
public sealed record CountTable(string Table, IReadOnlyList<string> Keys, string Count);

public sealed class CountFoldingOptions
{
    /// <summary>How often the count tables are looked at.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A table is folded once it holds more rows than this (and more than twice what its last fold left): fewer are read in well under a millisecond.</summary>
    public int FoldAbove { get; set; } = 1000;
}

/// <summary>Folds the <see cref="CountTable"/>s the features register: a background worker, and on demand after a bulk load.</summary>
/// <remarks>A failed fold loses nothing: the rows stay and are summed by every reader until the next fold.</remarks>
public sealed class CountFolding(IEnumerable<CountTable> tables, IServiceScopeFactory scopes, IOptions<CountFoldingOptions> options)
    : Jobs.IScheduledJob
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _leftByLastFold = [];

    public string Name => "counts.fold";

    public string Description => "Folds the kept counts behind the AIDA board and the HealthDashboard into one row per key.";

    public TimeSpan Interval => options.Value.Interval;

    /// <summary>Items: the tables folded.</summary>
    public async Task<Jobs.JobOutcome> RunAsync(CancellationToken cancellationToken) => new(await FoldAsync(force: false, cancellationToken));

    /// <summary>Folds every table (<paramref name="force"/>) or those grown past the threshold; returns how many were folded.</summary>
    public async Task<int> FoldAsync(bool force, CancellationToken cancellationToken)
    {
        var folded = 0;
        foreach (var table in tables)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<OperationContext>().BecomeSystem();
            var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
            // A read first: an idle server must not take the write lock every few seconds for nothing.
            var rows = await RowsAsync(db, table, cancellationToken);
            var left = _leftByLastFold.GetValueOrDefault(table.Table);
            if (!force && (rows <= options.Value.FoldAbove || rows <= 2 * left))
            {
                continue;
            }

            await using (var transaction = await db.BeginWriteAsync(cancellationToken))
            {
                await db.Dialect.FoldCountsAsync(db, table, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }

            _leftByLastFold[table.Table] = await RowsAsync(db, table, cancellationToken);
            folded++;
        }

        return folded;
    }

    private static Task<long> RowsAsync(AidaDb db, CountTable table, CancellationToken cancellationToken)
    {
        var rows = $"SELECT COUNT(*) AS \"Value\" FROM {table.Table}";
        return db.Database.SqlQueryRaw<long>(rows).SingleAsync(cancellationToken);
    }
}
