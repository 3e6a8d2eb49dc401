using Aida.Features.Deals.Analytics;
using Aida.Features.Deals.Pages;
using Aida.Platform.Auth;
using Aida.Platform.Http;

namespace Aida.Features.Deals;

/// <summary>Deals (the AIDA Convert step): pipelines and stages, opportunities, stage history, forecast and pipeline analytics.</summary>
public static class DealsModule
{
    public static IServiceCollection AddDeals(this IServiceCollection services, IConfiguration configuration) => services;

    public static IEndpointRouteBuilder MapDeals(this IEndpointRouteBuilder app)
    {
        // Deals are sales work: they share the leads permissions (spec 004 CRMPermissions has no deal set).
        var api = app.MapGroup("/api/v1").WithIdempotency().RequirePermission(Permissions.LeadsView);
        var pipelines = api.MapGroup("/pipelines").WithTags("Pipelines");
        pipelines.MapGet("/", ListPipelines.Handle).WithName("Pipelines_List")
            .WithSummary("Every pipeline with its stages in order, the default first.");
        api.MapGet("/forecast", Forecast.Handle).WithName("Forecast").WithTags("Forecast")
            .WithSummary("Weighted pipeline, commit, best case and closed won per month or quarter and per owner; one currency at a time.");
        app.MapSalesAnalytics();
        app.MapForecastPages();
        return app;
    }
}
