using Aida.Features.Customers.Pages;
using Microsoft.AspNetCore.Components;

namespace Aida.Features.Interactions.Pages;

/// <summary>
/// The Timeline tab of the customer page (ActivityTimeline), contributed to Customers: second, after the
/// overview. Its filters and cursor come from the page's query string (<c>?tab=timeline&amp;types=…</c>).
/// </summary>
public sealed class TimelineCustomerTab : ICustomerTab
{
    public string Key => "timeline";

    public string Label => "Timeline";

    public int Order => 200;

    public async Task<RenderFragment> RenderAsync(CustomerTabRequest request, CancellationToken cancellationToken)
    {
        var view = await TimelinePages.LoadAsync(request.Http, request.Db, request.CustomerId, request.Users, cancellationToken);
        var context = UiContext.For(request.Http);
        return builder =>
        {
            builder.OpenComponent<TimelineTab>(0);
            builder.AddComponentParameter(1, nameof(TimelineTab.Context), context);
            builder.AddComponentParameter(2, nameof(TimelineTab.View), view);
            builder.CloseComponent();
        };
    }
}
