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
        var lifecycle = await GetCustomerLifecycle.RunAsync(request.CustomerId, request.Db, cancellationToken);
        var history = await ListLifecycleHistory.RunAsync(request.CustomerId, request.Db, cancellationToken);
        var view = new LifecycleTabView(lifecycle.Value!, history.Value!, await ListStages.RunAsync(request.Db, cancellationToken), request.Users);
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
