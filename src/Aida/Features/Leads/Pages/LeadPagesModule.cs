using Aida.Platform.Auth;

namespace Aida.Features.Leads.Pages;

public static class LeadPagesModule
{
    public static IEndpointRouteBuilder MapLeadPages(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("").RequirePagePermission(Permissions.LeadsView).ExcludeFromDescription();
        pages.MapGet("/leads", LeadListPages.List);
        pages.MapGet("/leads/new", LeadListPages.New).RequirePagePermission(Permissions.LeadsCreate);
        pages.MapPost("/leads/new", LeadListPages.Create).RequirePagePermission(Permissions.LeadsCreate);

        var settings = app.MapGroup("/settings/forms").RequirePagePermission(Permissions.AdminSettings).ExcludeFromDescription();
        settings.MapGet("/", FormDesignerPages.List);
        settings.MapGet("/new", FormDesignerPages.New);
        settings.MapPost("/new", FormDesignerPages.Create);
        settings.MapGet("/{id:guid}", FormDesignerPages.Edit);
        settings.MapPost("/{id:guid}", FormDesignerPages.Update);
        return app;
    }
}
