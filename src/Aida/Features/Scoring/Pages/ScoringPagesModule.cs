namespace Aida.Features.Scoring.Pages;

public static class ScoringPagesModule
{
    public static IEndpointRouteBuilder MapScoringPages(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("").RequirePagePermission(Permissions.CustomersViewOwn).ExcludeFromDescription();
        pages.MapGet("/health", ScoringPages.Dashboard);
        pages.MapPost("/customers/{customerId:guid}/scores/recalculate", ScoringPages.Recalculate);
        pages.MapGet("/settings/scoring", ScoringPages.Rules).RequirePagePermission(Permissions.AdminSettings);
        pages.MapPost("/settings/scoring", ScoringPages.SaveRules).RequirePagePermission(Permissions.AdminSettings);
        pages.MapPost("/settings/scoring/runs", ScoringPages.StartRun).RequirePagePermission(Permissions.AdminSettings);
        return app;
    }
}
