using Aida.Features.Deals;
using Aida.Features.Leads;
using Aida.Platform.Reporting;

namespace Aida.Features.Analytics;

/// <summary>
/// Sales analytics (issue 7, item 10): read-only reports over the leads and deals the actor reaches. A slice
/// of its own: it reads what Leads and Deals store, and neither of them knows it.
/// </summary>
public static class AnalyticsModule
{
    public static IEndpointRouteBuilder MapAnalytics(this IEndpointRouteBuilder app)
    {
        var analytics = app.MapGroup("/api/v1/analytics").WithTags("Analytics").RequirePermission(Permissions.AnalyticsViewReports);
        analytics.MapGet("/pipeline", PipelineByStage.Handle).WithName("Analytics_Pipeline")
            .WithSummary("Open deals per stage of a pipeline: count, value, weighted value; one currency at a time.");
        analytics.MapGet("/lead-sources", LeadSources.Handle).WithName("Analytics_LeadSources")
            .WithSummary("Per lead source: leads, converted, conversion rate, revenue of won deals (per currency).");
        analytics.MapGet("/funnel", Funnel.Handle).WithName("Analytics_Funnel")
            .WithSummary("Captured → connected → qualified → converted → won, for leads created in from/to.");
        analytics.MapGet("/time-in-stage", TimeInStage.Handle).WithName("Analytics_TimeInStage")
            .WithSummary("Average days per stage from stage history: ended stays, running stays (to now), and both.");
        analytics.MapGet("/win-rate", WinRate.Handle).WithName("Analytics_WinRate")
            .WithSummary("won / (won + lost) of deals closed in from/to, overall and per owner.");
        return app;
    }
}
