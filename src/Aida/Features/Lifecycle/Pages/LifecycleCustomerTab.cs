using Aida.Features.Customers.Pages;
using Microsoft.AspNetCore.Components;

namespace Aida.Features.Lifecycle.Pages;

/// <summary>The Lifecycle tab of the customer page (spec 002 LifecycleView), contributed to Customers after the timeline.</summary>
public sealed class LifecycleCustomerTab : ICustomerTab
{
    public string Key => "lifecycle";

    public string Label => "Lifecycle";

    public int Order => 250;

    public async Task<RenderFragment> RenderAsync(CustomerTabRequest request, CancellationToken cancellationToken)
    {
        // One read of the stages for the whole tab: the stage track, the allowed moves and the history all name them.
        var stages = await StageCatalog.LoadAsync(request.Db, cancellationToken);
        var lifecycle = await request.Db.Set<CustomerLifecycle>().AsNoTracking().FirstAsync(l => l.Id == request.CustomerId, cancellationToken);
        var purchases = await ListPurchases.RunAsync(request.CustomerId, LifecycleTabView.RecentPurchaseCount, null, request.Db, cancellationToken);
        var milestones = await ListJourney.RunAsync(request.CustomerId, null, LifecycleTabView.MilestoneCount, null, request.Db, cancellationToken);
        var view = new LifecycleTabView(
            await GetCustomerLifecycle.ResponseAsync(request.Db, stages, lifecycle, cancellationToken),
            await ListLifecycleHistory.EntriesAsync(request.Db, stages, request.CustomerId, cancellationToken),
            stages.LiveStages(),
            request.Users,
            await CustomerValue.CalculateAsync(request.Db, lifecycle, stages[lifecycle.CurrentStageId], cancellationToken),
            purchases.Value?.Items ?? [],
            milestones.Value?.Items ?? []);
        var context = UiContext.For(request.Http);
        return builder =>
        {
            builder.OpenComponent<LifecycleTab>(0);
            builder.AddComponentParameter(1, nameof(LifecycleTab.Context), context);
            builder.AddComponentParameter(2, nameof(LifecycleTab.View), view);
            builder.CloseComponent();
        };
    }
}
