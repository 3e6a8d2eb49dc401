using Aida.Features.Dashboard.Pages;

namespace Aida.Features.Dashboard;

/// <summary>
/// The CRM dashboard: the home page (<c>/</c>) and its figures as JSON (<c>GET /api/v1/dashboard</c>). A slice that
/// only reads what Activities, Leads, Deals, Customers and the audit log store; none of them knows it.
/// </summary>
public static class DashboardModule
{
    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1/dashboard").WithTags("Dashboard").RequirePermission(Permissions.CustomersViewOwn)
            .MapGet("/", CrmDashboard.Handle).WithName("Dashboard_Get")
            .WithSummary("The signed-in user's day and period in their reach: activities due, leads, pipeline by stage, the period's forecast against closed won, recent changes on their customers.");
        app.MapGet("/", DashboardPages.Show).RequirePagePermission(Permissions.CustomersViewOwn).ExcludeFromDescription();
        return app;
    }
}
