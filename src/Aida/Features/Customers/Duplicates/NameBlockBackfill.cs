namespace Aida.Features.Customers.Duplicates;

/// <summary>
/// Fills <see cref="Customer.NameBlock"/> for customers stored before migration 0014 (SQL cannot compute the
/// key): once at start, in small batches, each its own short write, so creates are not held up for long.
/// Writes the derived column only: no version bump, no audit entry, no event (nothing a person changed).
/// </summary>
public sealed class NameBlockBackfill(IServiceScopeFactory scopes, ILogger<NameBlockBackfill> logger) : BackgroundService
{
    private const int Batch = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await FillBatchAsync(stoppingToken) > 0)
            {
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Nothing is lost: rows without the key are still found by name key, sound, email, phone and address; the next start retries.
            logger.LogWarning(e, "Backfilling customers' name blocking keys failed");
        }
    }

    /// <summary>Fills one batch; returns how many rows it filled (0 when none is left).</summary>
    public async Task<int> FillBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<OperationContext>().BecomeSystem();
        var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
        var missing = await db.Set<Customer>().IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.NameBlock == null)
            .OrderBy(c => c.Id)
            .Select(c => new { c.Id, c.Type, c.DisplayName })
            .Take(Batch)
            .ToListAsync(cancellationToken);
        if (missing.Count == 0)
        {
            return 0;
        }

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        foreach (var customer in missing)
        {
            var key = NameMatching.NameBlock(customer.Type, customer.DisplayName);
            await db.Set<Customer>().IgnoreQueryFilters()
                .Where(c => c.Id == customer.Id && c.NameBlock == null)
                .ExecuteUpdateAsync(update => update.SetProperty(c => c.NameBlock, key), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return missing.Count;
    }
}
