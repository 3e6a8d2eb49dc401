using Aida.Platform.Auth;
using Aida.Platform.Http;

namespace Aida.Features.Leads;

/// <summary>Leads (spec 004, the AIDA Capture → Connect steps): capture, web forms, scoring, routing, qualification and conversion.</summary>
public static class LeadsModule
{
    public static IServiceCollection AddLeads(this IServiceCollection services, IConfiguration configuration) => services;

    public static IEndpointRouteBuilder MapLeads(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithIdempotency().RequirePermission(Permissions.LeadsView);

        var leads = api.MapGroup("/leads").WithTags("Leads");
        leads.MapPost("/", CreateLead.Handle).WithName("Leads_Create").RequirePermission(Permissions.LeadsCreate)
            .WithSummary("Capture a lead from an integration: validated, scored and routed in one transaction; emits lead.captured.");
        leads.MapGet("/{id:guid}", GetLead.Handle).WithName("Leads_Get");
        return app;
    }
}
