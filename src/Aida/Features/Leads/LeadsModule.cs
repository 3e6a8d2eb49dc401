using Aida.Features.Leads.Pages;
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
        leads.MapPost("/{id:guid}/convert", ConvertLead.Handle).WithName("Leads_Convert")
            .RequirePermission(Permissions.LeadsEdit).RequirePermission(Permissions.CustomersEditProfile)
            .WithSummary("Convert a lead into a customer (+ account), a contact and optionally a deal, moving its touches; idempotent; emits lead.converted.");
        app.MapConvertLeadPages();
        return app;
    }
}
