using Aida.Platform.Auth;

namespace Aida.Features.Leads.Pages;

public static class LeadPagesModule
{
    public static IEndpointRouteBuilder MapLeadPages(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("").RequirePagePermission(Permissions.LeadsView).ExcludeFromDescription();
        return app;
    }
}
