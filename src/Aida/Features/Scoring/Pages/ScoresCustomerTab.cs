using Aida.Features.Customers.Pages;
using Microsoft.AspNetCore.Components;

namespace Aida.Features.Scoring.Pages;

/// <summary>The Scores tab of the customer page: the five scores, their grades and factor breakdowns, stale and no-data warnings.</summary>
public sealed class ScoresCustomerTab : ICustomerTab
{
    public string Key => "scores";

    public string Label => "Scores";

    public int Order => 260;

    public async Task<RenderFragment> RenderAsync(CustomerTabRequest request, CancellationToken cancellationToken)
    {
        var scores = await GetCustomerScores.ResponseAsync(request.Db, request.CustomerId, cancellationToken);
        var context = UiContext.For(request.Http);
        return builder =>
        {
            builder.OpenComponent<ScoresTab>(0);
            builder.AddComponentParameter(1, nameof(ScoresTab.Context), context);
            builder.AddComponentParameter(2, nameof(ScoresTab.Scores), scores);
            builder.CloseComponent();
        };
    }
}
