namespace Aida.Features.Lifecycle.Pages;

public static class LifecyclePagesModule
{
    public static IEndpointRouteBuilder MapLifecyclePages(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("").RequirePagePermission(Permissions.CustomersViewOwn).ExcludeFromDescription();
        pages.MapPost("/customers/{customerId:guid}/lifecycle/move", LifecyclePages.Move).RequirePagePermission(Permissions.CustomersEditProfile);
        pages.MapPost("/customers/{customerId:guid}/lifecycle/purchases", LifecyclePages.RecordPurchase).RequirePagePermission(Permissions.CustomersEditProfile);
        pages.MapGet("/lifecycle", LifecycleBoardPages.Board);
        pages.MapGet("/lifecycle/stages/{id:guid}", LifecycleBoardPages.StageCustomers);
        var settings = pages.MapGroup("/settings/lifecycle").RequirePagePermission(Permissions.AdminSettings);
        settings.MapGet("", LifecycleBoardPages.Settings);
        settings.MapPost("/stages", LifecycleBoardPages.AddStage);
        settings.MapPost("/stages/{id:guid}", LifecycleBoardPages.SaveStage);
        settings.MapPost("/stages/{id:guid}/delete", LifecycleBoardPages.RemoveStage);
        settings.MapPost("/transitions", LifecycleBoardPages.SaveTransitions);
        settings.MapPost("/inactivity", LifecycleBoardPages.SaveInactivityRule);
        pages.MapGet("/lifecycle/approvals", LifecyclePages.Approvals).RequirePagePermission(Permissions.LifecycleApprove);
        pages.MapPost("/lifecycle/approvals/{id:guid}/approve", LifecyclePages.Approve).RequirePagePermission(Permissions.LifecycleApprove);
        pages.MapPost("/lifecycle/approvals/{id:guid}/reject", LifecyclePages.Reject).RequirePagePermission(Permissions.LifecycleApprove);
        return app;
    }
}
