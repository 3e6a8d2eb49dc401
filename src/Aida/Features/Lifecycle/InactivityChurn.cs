using Aida.Features.Customers;
using Aida.Features.Interactions;
using Aida.Platform.Jobs;
using Microsoft.Extensions.Options;

namespace Aida.Features.Lifecycle;

public sealed class InactivityChurnOptions
{
    /// <summary>How often the rule looks for inactive customers; a customer is churned at most this late.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(6);
}

/// <summary>
/// The inactivity rule of issue 16 item 3: a customer (a stage of category customer — Customer, At Risk, Won
/// Back, Advocacy) with no purchase and no interaction for <see cref="LifecycleSettings.ChurnAfterDays"/> days,
/// who has been a customer and in the current stage at least that long, moves to Churned with trigger
/// <c>rule</c>. Like the other rules it records a fact: no approval, and it does nothing while an
/// administrator has deactivated or deleted Churned. Several nodes may run it; they take turns under a lock.
/// </summary>
public sealed class InactivityChurn(IServiceScopeFactory scopes, TimeProvider clock, IOptions<InactivityChurnOptions> options)
    : IScheduledJob
{
    // One transaction per batch: a first run over a large, long-quiet database neither holds the write
    // lock for minutes nor loses its progress if it stops.
    private const int Batch = 500;

    public string Name => "lifecycle.inactivity";

    public string Description => "Moves customers with no purchase and no interaction for the configured period to Churned.";

    public TimeSpan Interval => options.Value.Interval;

    /// <summary>Items: the customers it moved (the scheduler logs the count).</summary>
    public async Task<JobOutcome> RunAsync(CancellationToken cancellationToken) => new(await RunOnceAsync(cancellationToken));

    /// <summary>Moves every customer inactive for the configured period to Churned; returns how many moved.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var moved = 0;
        int batch;
        do
        {
            batch = await RunBatchAsync(cancellationToken);
            moved += batch;
        }
        while (batch == Batch);

        return moved;
    }

    private async Task<int> RunBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<OperationContext>().BecomeSystem();
        var db = scope.ServiceProvider.GetRequiredService<AidaDb>();
        if ((await LifecycleSettings.GetAsync(db, cancellationToken)).ChurnAfterDays is not { } days)
        {
            return 0;
        }

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        await db.LockAsync(LockName.InactivityChurn, cancellationToken);
        var stages = await StageCatalog.LoadAsync(db, cancellationToken);
        if (stages.Live(LifecycleStage.ChurnedId) is not { IsActive: true } churned)
        {
            return 0;
        }

        var customerStages = stages.LiveStages().Where(s => s.Category == StageCategory.Customer && s.Id != churned.Id).Select(s => s.Id).ToList();
        var cutoff = clock.UtcNow().AddDays(-days);
        var cutoffDate = DateOnly.FromDateTime(cutoff);
        var inactive = await db.Set<CustomerLifecycle>().IgnoreQueryFilters()
            .Where(l => customerStages.Contains(l.CurrentStageId)
                && l.EnteredStageAt < cutoff
                && (l.LastPurchaseDate == null || l.LastPurchaseDate < cutoffDate)
                && db.Set<Customer>().Any(c => c.Id == l.Id && c.CreatedAt < cutoff)
                && !db.Set<Interaction>().Any(i => i.CustomerId == l.Id && i.OccurredAt >= cutoff))
            .OrderBy(l => l.Id).Take(Batch)
            .ToListAsync(cancellationToken);
        var rule = $"No purchase or interaction for {days} days";
        foreach (var lifecycle in inactive)
        {
            StageMoves.Apply(db, stages, lifecycle, stages[lifecycle.CurrentStageId], churned,
                new StageMove(lifecycle.Id, churned.Id, null, StageChangeTrigger.Rule, rule), approvedBy: null, isOverride: false);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return inactive.Count;
    }
}
