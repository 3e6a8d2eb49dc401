namespace Aida.Features.Leads.Duplicates;

/// <summary>
/// Fills the name keys of leads stored before migration 0020 (<see cref="Lead.NameKey"/>, its sound and name block),
/// which SQL cannot compute. Once at start, in small batches, each its own short write. Writes the derived columns
/// only: no version bump, no audit entry, no event (nothing a person changed).
/// </summary>
public sealed class LeadNameKeyBackfill(IServiceScopeFactory scopes, ILogger<LeadNameKeyBackfill> logger) : BackgroundService
{
    private const int Batch = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await FillAsync(stoppingToken) > 0)
            {
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Nothing is lost: leads without the keys are still found by email and phone; the next start retries.
            logger.LogWarning(e, "Backfilling the name keys of leads failed");
        }
    }

    /// <summary>Fills one batch; returns how many leads it filled (0 when none is left).</summary>
    public async Task<int> FillAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<OperationContext>().BecomeSystem();
        var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
        var missing = await db.Set<Lead>().IgnoreQueryFilters().AsNoTracking()
            .Where(l => l.NameKey == null)
            .OrderBy(l => l.Id)
            .Select(l => new { l.Id, l.FirstName, l.LastName })
            .Take(Batch)
            .ToListAsync(cancellationToken);
        if (missing.Count == 0)
        {
            return 0;
        }

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        foreach (var lead in missing)
        {
            var (key, phonetic, block) = Lead.NameKeysOf(Lead.PersonNameOf(lead.FirstName, lead.LastName));
            await db.Set<Lead>().IgnoreQueryFilters()
                .Where(l => l.Id == lead.Id && l.NameKey == null)
                .ExecuteUpdateAsync(update => update.SetProperty(l => l.NameKey, key).SetProperty(l => l.NamePhonetic, phonetic).SetProperty(l => l.NameBlock, block), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return missing.Count;
    }
}
