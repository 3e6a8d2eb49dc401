using Aida.Features.Leads.Forms;
using Aida.Features.Leads.Pages;
using Aida.Platform.Auth;
using Aida.Platform.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Aida.Features.Leads;

/// <summary>Leads (spec 004, the AIDA Capture → Connect steps): capture, web forms, scoring, routing, qualification and conversion.</summary>
public static class LeadsModule
{
    public static IServiceCollection AddLeads(this IServiceCollection services, IConfiguration configuration) =>
        services.AddWebForms(configuration);

    public static IEndpointRouteBuilder MapLeads(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithIdempotency().RequirePermission(Permissions.LeadsView);

        var leads = api.MapGroup("/leads").WithTags("Leads");
        leads.MapPost("/", CreateLead.Handle).WithName("Leads_Create").RequirePermission(Permissions.LeadsCreate)
            .WithSummary("Capture a lead from an integration: validated, scored and routed in one transaction; emits lead.captured.");
        leads.MapGet("/{id:guid}", GetLead.Handle).WithName("Leads_Get");
        leads.MapGet("/", ListLeads.Handle).WithName("Leads_List")
            .WithSummary("Leads the actor reaches: status, qualificationStatus, assignedTo (id, me, none), sourceType, minScore, q (name, email or company prefix), createdFrom/To; sort -createdAt or -score; cursor-paged.");
        leads.MapPatch("/{id:guid}", UpdateLead.Handle).WithName("Leads_Update").RequirePermission(Permissions.LeadsEdit)
            .WithSummary("Merge-patch with If-Match; assignedTo needs leads.assign; re-scores; a converted lead answers 409.");
        leads.MapDelete("/{id:guid}", DeleteLead.Handle).WithName("Leads_Delete").RequirePermission(Permissions.LeadsDelete);

        var forms = api.MapGroup("/lead-forms").WithTags("Web forms").RequirePermission(Permissions.AdminSettings);
        forms.MapPost("/", CreateLeadForm.Handle).WithName("LeadForms_Create");
        forms.MapGet("/", ListLeadForms.Handle).WithName("LeadForms_List");
        forms.MapGet("/{id:guid}", GetLeadForm.Handle).WithName("LeadForms_Get");
        forms.MapPatch("/{id:guid}", UpdateLeadForm.Handle).WithName("LeadForms_Update");
        forms.MapDelete("/{id:guid}", DeleteLeadForm.Handle).WithName("LeadForms_Delete");
        forms.MapGet("/{id:guid}/embed", LeadFormEmbed.Handle).WithName("LeadForms_Embed")
            .WithSummary("The HTML snippet to paste into a web site: a plain POST form to /f/{key} with a honeypot and attribution fields.");

        // Public by design (ARCHITECTURE.md): no sign-in, no antiforgery cookie; origin-checked, size- and rate-limited.
        var limits = app.ServiceProvider.GetRequiredService<IOptions<WebFormOptions>>().Value;
        var submit = app.MapGroup("/f").AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        submit.MapPost("/{formKey}", SubmitLeadForm.Handle).RequireRateLimiting(WebForms.RateLimitPolicy)
            .WithMetadata(new RequestSizeLimitAttribute(limits.MaxBodyBytes));
        submit.MapMethods("/{formKey}", [HttpMethods.Options], SubmitLeadForm.Preflight);
        submit.MapGet("/{formKey}/thanks", SubmitLeadForm.ThankYou);

        app.MapLeadPages();
        return app;
    }
}
