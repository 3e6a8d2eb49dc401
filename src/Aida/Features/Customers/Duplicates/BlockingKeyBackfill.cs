using Aida.Features.Customers.Addresses;

namespace Aida.Features.Customers.Duplicates;

/// <summary>
/// Fills the blocking keys SQL cannot compute for rows stored before the migrations that added them:
/// <see cref="Customer.NameBlock"/> (0014) and <see cref="Address.StreetKey"/> (0018). Once at start, in small
/// batches, each its own short write, so creates are not held up for long. Writes the derived columns only:
/// no version bump, no audit entry, no event (nothing a person changed).
/// </summary>
public sealed class BlockingKeyBackfill(IServiceScopeFactory scopes, ILogger<BlockingKeyBackfill> logger) : BackgroundService
{
    private const int Batch = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await FillNameBlocksAsync(stoppingToken) > 0)
            {
            }

            while (await FillStreetKeysAsync(stoppingToken) > 0)
            {
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Nothing is lost: rows without a key are still found by the other keys; the next start retries.
            logger.LogWarning(e, "Backfilling duplicate detection's blocking keys failed");
        }
    }

    /// <summary>Fills one batch of customers' name blocks; returns how many rows it filled (0 when none is left).</summary>
    public async Task<int> FillNameBlocksAsync(CancellationToken cancellationToken)
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

    /// <summary>Fills one batch of addresses' street keys; returns how many rows it filled (0 when none is left).</summary>
    public async Task<int> FillStreetKeysAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<OperationContext>().BecomeSystem();
        var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
        var missing = await db.Set<Address>().IgnoreQueryFilters().AsNoTracking()
            .Where(a => a.StreetKey == null)
            .OrderBy(a => a.Id)
            .Select(a => new { a.Id, a.StreetLine1, a.City, a.PostalCode })
            .Take(Batch)
            .ToListAsync(cancellationToken);
        if (missing.Count == 0)
        {
            return 0;
        }

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        foreach (var address in missing)
        {
            var key = AddressMatching.StreetKey(address.StreetLine1, address.City, address.PostalCode) ?? "";
            await db.Set<Address>().IgnoreQueryFilters()
                .Where(a => a.Id == address.Id && a.StreetKey == null)
                .ExecuteUpdateAsync(update => update.SetProperty(a => a.StreetKey, key), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return missing.Count;
    }
}
