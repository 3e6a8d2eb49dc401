namespace Aida.Features.Deals.Pages;

/// <summary>Every page of Deals: the board, a deal's form and detail page, the move and delete posts, and the forecast.</summary>
public static class DealPagesModule
{
    public static IEndpointRouteBuilder MapDealPages(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("").RequirePagePermission(Permissions.LeadsView).ExcludeFromDescription();
        pages.MapGet("/deals", BoardPages.Board);
        pages.MapGet("/deals/new", DealFormPages.New).RequirePagePermission(Permissions.LeadsCreate);
        pages.MapPost("/deals/new", DealFormPages.Create).RequirePagePermission(Permissions.LeadsCreate);
        pages.MapGet("/deals/{id:guid}", DealDetailPages.Show);
        pages.MapGet("/deals/{id:guid}/edit", DealFormPages.Edit).RequirePagePermission(Permissions.LeadsEdit);
        pages.MapPost("/deals/{id:guid}/edit", DealFormPages.Update).RequirePagePermission(Permissions.LeadsEdit);
        pages.MapPost("/deals/{id:guid}/move", BoardPages.Move).RequirePagePermission(Permissions.LeadsEdit);
        pages.MapPost("/deals/{id:guid}/delete", DealDetailPages.Delete).RequirePagePermission(Permissions.LeadsDelete);
        pages.MapGet("/forecast", ForecastPages.Show);
        return app;
    }
}
