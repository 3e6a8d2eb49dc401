using Aida.Platform.Jobs;
using Aida.Features.Leads.Forms;
using Aida.Features.Leads.Pages;
using Aida.Features.Leads.Routing;
using Aida.Features.Leads.Scoring;
using Microsoft.Extensions.Options;

namespace Aida.Features.Leads;

/// <summary>Leads (spec 004, the AIDA Capture → Connect steps): capture, web forms, scoring, routing, qualification and conversion.</summary>
public static class LeadsModule
{
    public static IServiceCollection AddLeads(this IServiceCollection services, IConfiguration configuration) =>
        services.AddSingleton<Interactions.ILinkableRecords, LinkableLeads>()
            .AddSingleton<Customers.Duplicates.IDuplicateRecords, Duplicates.LeadDuplicateRecords>()
            .AddHostedService<Duplicates.LeadNameKeyBackfill>()
            .AddSingleton<Platform.Events.IEventReaction, Notices.LeadAssignedNotice>()
            .AddScheduledJob<Notices.LeadFollowUpReminders>()
            .AddWebForms(configuration);

    public static IEndpointRouteBuilder MapLeads(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithIdempotency().RequirePermission(Permissions.LeadsView);

        var leads = api.MapGroup("/leads").WithTags("Leads");
        leads.MapPost("/", CreateLead.Handle).WithName("Leads_Create").RequirePermission(Permissions.LeadsCreate)
            .WithSummary("Capture a lead from an integration: validated, scored and routed in one transaction; emits lead.captured.")
            .WithDescription("An email or phone already known CRM-wide joins that open lead, or is logged on that contact's customer. "
                + "201 with the new lead, or 200 with the lead or contact it joined (header Aida-Duplicate-Of), only when the caller may see the result; "
                + "otherwise 202 {status: accepted, message} — the same for a new lead routed out of reach and for a person another team already has.");
        leads.MapGet("/{id:guid}", GetLead.Handle).WithName("Leads_Get")
            .WithSummary("Get a lead with its score, qualification and follow-up state; a lead merged into another answers 308 with the survivor's address.");
        leads.MapPost("/merge", MergeLeads.Handle).WithName("Leads_Merge").RequirePermission(Permissions.LeadsEdit)
            .WithSummary("Merge duplicate leads into a survivor: it keeps its values and takes only what it lacks; touches move to it; the others redirect to it. Undo within 30 days.");
        var merges = api.MapGroup("/lead-merges").WithTags("Leads");
        merges.MapGet("/{id:guid}", UndoLeadMerge.HandleGet).WithName("LeadMerges_Get").WithSummary("Get a lead merge: survivor, merged leads, touches moved, until when it can be undone.");
        merges.MapPost("/{id:guid}/undo", UndoLeadMerge.Handle).WithName("LeadMerges_Undo").RequirePermission(Permissions.LeadsEdit)
            .WithSummary("Undo a lead merge within 30 days: the merged leads and their touches come back; survivor fields the merge filled get their old values unless changed since (reported).");
        leads.MapGet("/", ListLeads.Handle).WithName("Leads_List")
            .WithSummary("Leads the actor reaches: status, qualificationStatus, assignedTo (id, me, none), sourceType, minScore, q (name, email or company prefix), createdFrom/To; sort -createdAt or -score; cursor-paged.");
        leads.MapPatch("/{id:guid}", UpdateLead.Handle).WithName("Leads_Update").RequirePermission(Permissions.LeadsEdit)
            .WithSummary("Merge-patch with If-Match; assignedTo needs leads.assign; re-scores; a converted lead answers 409.");
        leads.MapDelete("/{id:guid}", DeleteLead.Handle).WithName("Leads_Delete").WithSummary("Delete a lead (soft delete).").RequirePermission(Permissions.LeadsDelete);

        var forms = api.MapGroup("/lead-forms").WithTags("Web forms").RequirePermission(Permissions.AdminSettings);
        forms.MapPost("/", CreateLeadForm.Handle).WithName("LeadForms_Create").WithSummary("Create a web form that captures leads.");
        forms.MapGet("/", ListLeadForms.Handle).WithName("LeadForms_List").WithSummary("List web forms; cursor-paged.");
        forms.MapGet("/{id:guid}", GetLeadForm.Handle).WithName("LeadForms_Get").WithSummary("Get a web form.");
        forms.MapPatch("/{id:guid}", UpdateLeadForm.Handle).WithName("LeadForms_Update").WithSummary("Change a web form (merge-patch).");
        forms.MapDelete("/{id:guid}", DeleteLeadForm.Handle).WithName("LeadForms_Delete").WithSummary("Delete a web form.");
        forms.MapGet("/{id:guid}/embed", LeadFormEmbed.Handle).WithName("LeadForms_Embed").Produces<string>(StatusCodes.Status200OK, "text/html")
            .WithSummary("The HTML snippet to paste into a web site: a plain POST form to /f/{key} with a honeypot and attribution fields.");

        // Public by design (ARCHITECTURE.md): no sign-in, no antiforgery cookie; origin-checked, size- and rate-limited.
        var limits = app.ServiceProvider.GetRequiredService<IOptions<WebFormOptions>>().Value;
        var submit = app.MapGroup("/f").AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        submit.MapPost("/{formKey}", SubmitLeadForm.Handle).RequireRateLimiting(WebForms.RateLimitPolicy)
            .WithMetadata(new RequestSizeLimitAttribute(limits.MaxBodyBytes));
        submit.MapMethods("/{formKey}", [HttpMethods.Options], SubmitLeadForm.Preflight);

        MapLeadWorkflow(api, leads);
        leads.MapPost("/{id:guid}/convert", ConvertLead.Handle).WithName("Leads_Convert")
            .RequirePermission(Permissions.LeadsEdit).RequirePermission(Permissions.CustomersEditProfile)
            .WithSummary("Convert a lead into a customer (+ account), a contact and optionally a deal, moving its touches; idempotent; emits lead.converted.");
        return app.MapLeadPages();
    }

    /// <summary>Touches, qualification, follow-ups, and the scoring and routing rules with the lead settings (issue 7 slice "lead workflow").</summary>
    private static void MapLeadWorkflow(RouteGroupBuilder api, RouteGroupBuilder leads)
    {
        const string Edit = Permissions.LeadsEdit;
        leads.MapPost("/{id:guid}/interactions", LogLeadInteraction.Handle).WithName("Leads_LogInteraction").RequirePermission(Edit)
            .WithSummary("Log a touch: outbound counts a follow-up (the first marks the lead connected; the maximum makes it unresponsive), inbound resets the count and reactivates. Rescores the lead.");
        leads.MapGet("/{id:guid}/interactions", ListLeadInteractions.Handle).WithName("Leads_ListInteractions")
            .WithSummary("The lead's touches, newest first; cursor-paged.");
        leads.MapPost("/{id:guid}/qualify", QualifyLead.Handle).WithName("Leads_Qualify").RequirePermission(Edit)
            .WithSummary("Mark the lead qualified (reason optional); emits lead.qualified. 409 when converted or lost.");
        leads.MapPost("/{id:guid}/disqualify", DisqualifyLead.Handle).WithName("Leads_Disqualify").RequirePermission(Edit)
            .WithSummary("Mark the lead disqualified with a reason; emits lead.disqualified.");
        leads.MapPost("/{id:guid}/lose", LoseLead.Handle).WithName("Leads_Lose").RequirePermission(Edit)
            .WithSummary("Close the lead as lost with a reason; emits lead.lost.");
        leads.MapPost("/{id:guid}/reopen", ReopenLead.Handle).WithName("Leads_Reopen").RequirePermission(Edit)
            .WithSummary("Reopen a lost, unresponsive or disqualified lead; emits lead.reopened.");
        leads.MapPost("/{id:guid}/schedule-follow-up", ScheduleLeadFollowUp.Handle).WithName("Leads_ScheduleFollowUp").RequirePermission(Edit)
            .WithSummary("Set when the lead is to be chased next.");

        var scoring = api.MapGroup("/lead-scoring-rules").WithTags("Lead scoring").RequirePermission(Permissions.AdminSettings);
        scoring.MapGet("/", ListScoringRules.Handle).WithName("LeadScoringRules_List").WithSummary("List lead scoring rules in evaluation order; cursor-paged.");
        scoring.MapGet("/{id:guid}", GetScoringRule.Handle).WithName("LeadScoringRules_Get").WithSummary("Get a lead scoring rule.");
        scoring.MapPost("/", CreateScoringRule.Handle).WithName("LeadScoringRules_Create")
            .WithSummary("Add a rule {name, category, condition {field, operator, value|values}, points}; the open leads are rescored in the same request.");
        scoring.MapPatch("/{id:guid}", UpdateScoringRule.Handle).WithName("LeadScoringRules_Update")
            .WithSummary("Change a rule (If-Match); the open leads are rescored in the same request.");
        scoring.MapDelete("/{id:guid}", DeleteScoringRule.Handle).WithName("LeadScoringRules_Delete")
            .WithSummary("Delete a rule (If-Match); the open leads are rescored in the same request.");
        scoring.MapPost("/rescore", RescoreLeads.Handle).WithName("LeadScoringRules_Rescore")
            .WithSummary("Recalculate every lead not yet converted, in batches; answers how many were rescored and changed.");

        var routing = api.MapGroup("/lead-routing-rules").WithTags("Lead routing").RequirePermission(Permissions.AdminSettings);
        routing.MapGet("/", ListRoutingRules.Handle).WithName("LeadRoutingRules_List").WithSummary("List lead routing rules in evaluation order; cursor-paged.");
        routing.MapGet("/{id:guid}", GetRoutingRule.Handle).WithName("LeadRoutingRules_Get").WithSummary("Get a lead routing rule.");
        routing.MapPost("/", CreateRoutingRule.Handle).WithName("LeadRoutingRules_Create")
            .WithSummary("Add a rule: sourceTypes and countries to match (empty is any), then assign_user {userId} or round_robin {teamId, openLeadCap?}.");
        routing.MapPatch("/{id:guid}", UpdateRoutingRule.Handle).WithName("LeadRoutingRules_Update").WithSummary("Change a lead routing rule (merge-patch).");
        routing.MapDelete("/{id:guid}", DeleteRoutingRule.Handle).WithName("LeadRoutingRules_Delete").WithSummary("Delete a lead routing rule.");

        var settings = api.MapGroup("/lead-settings").WithTags("Lead scoring").RequirePermission(Permissions.AdminSettings);
        settings.MapGet("/", GetLeadSettings.Handle).WithName("LeadSettings_Get").WithSummary("The lead settings: qualification threshold and follow-up limit.");
        settings.MapPatch("/", UpdateLeadSettings.Handle).WithName("LeadSettings_Update")
            .WithSummary("The qualification threshold (1-100, default 70) and the most unanswered follow-ups before a lead is unresponsive (default 5).");
    }
}
