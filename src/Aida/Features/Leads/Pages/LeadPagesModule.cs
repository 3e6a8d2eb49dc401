namespace Aida.Features.Leads.Pages;

/// <summary>Every page of the leads feature: the list and its forms, a lead's page, the convert wizard, the web-form designer and thank-you page, and the lead workflow settings.</summary>
public static class LeadPagesModule
{
    public static IEndpointRouteBuilder MapLeadPages(this IEndpointRouteBuilder app)
    {
        const string Edit = Permissions.LeadsEdit;
        var pages = app.MapGroup("").RequirePagePermission(Permissions.LeadsView).ExcludeFromDescription();
        pages.MapGet("/leads", LeadListPages.List);
        pages.MapGet("/leads/new", LeadListPages.New).RequirePagePermission(Permissions.LeadsCreate);
        pages.MapPost("/leads/new", LeadListPages.Create).RequirePagePermission(Permissions.LeadsCreate);
        pages.MapGet("/leads/{id:guid}", LeadDetailPages.Show);
        pages.MapPost("/leads/{id:guid}/touches", LeadDetailPages.LogTouch).RequirePagePermission(Edit);
        pages.MapPost("/leads/{id:guid}/qualify", LeadDetailPages.Qualify).RequirePagePermission(Edit);
        pages.MapPost("/leads/{id:guid}/disqualify", LeadDetailPages.Disqualify).RequirePagePermission(Edit);
        pages.MapPost("/leads/{id:guid}/lose", LeadDetailPages.Lose).RequirePagePermission(Edit);
        pages.MapPost("/leads/{id:guid}/reopen", LeadDetailPages.Reopen).RequirePagePermission(Edit);
        pages.MapPost("/leads/{id:guid}/schedule-follow-up", LeadDetailPages.ScheduleFollowUp).RequirePagePermission(Edit);
        pages.MapPost("/leads/{id:guid}/merges/{mergeId:guid}/undo", LeadDetailPages.UndoMerge).RequirePagePermission(Edit);
        pages.MapPost("/duplicates/leads/merge", LeadDuplicatePages.Merge).RequirePagePermission(Edit).RequirePagePermission(Permissions.CustomersReviewDuplicates);

        // As the API's convert: it changes the lead and makes a customer, so it needs both rights (and not leads.view on top).
        var convert = app.MapGroup("").RequirePagePermission(Edit).RequirePagePermission(Permissions.CustomersEditProfile).ExcludeFromDescription();
        convert.MapGet("/leads/{id:guid}/convert", ConvertLeadPages.Show);
        convert.MapPost("/leads/{id:guid}/convert", ConvertLeadPages.Convert);

        var forms = app.MapGroup("/settings/forms").RequirePagePermission(Permissions.AdminSettings).ExcludeFromDescription();
        forms.MapGet("/", FormDesignerPages.List);
        forms.MapGet("/new", FormDesignerPages.New);
        forms.MapPost("/new", FormDesignerPages.Create);
        forms.MapGet("/{id:guid}", FormDesignerPages.Edit);
        forms.MapPost("/{id:guid}", FormDesignerPages.Update);

        // Public by design, like the submission it thanks for (ARCHITECTURE.md): a visitor is not signed in.
        var visitors = app.MapGroup("/f").AllowAnonymous().ExcludeFromDescription();
        visitors.MapGet("/{formKey}/thanks", FormThanksPages.ThankYou);

        var settings = app.MapGroup("/settings").RequirePagePermission(Permissions.AdminSettings).ExcludeFromDescription();
        settings.MapGet("/lead-scoring", LeadSettingsPages.Scoring);
        settings.MapPost("/lead-scoring", LeadSettingsPages.AddScoringRule);
        settings.MapPost("/lead-scoring/settings", LeadSettingsPages.SaveSettings);
        settings.MapPost("/lead-scoring/rescore", LeadSettingsPages.Rescore);
        settings.MapGet("/lead-scoring/{id:guid}", LeadSettingsPages.EditScoringRule);
        settings.MapPost("/lead-scoring/{id:guid}", LeadSettingsPages.SaveScoringRule);
        settings.MapPost("/lead-scoring/{id:guid}/delete", LeadSettingsPages.RemoveScoringRule);
        settings.MapGet("/lead-routing", LeadSettingsPages.Routing);
        settings.MapPost("/lead-routing", LeadSettingsPages.AddRoutingRule);
        settings.MapGet("/lead-routing/{id:guid}", LeadSettingsPages.EditRoutingRule);
        settings.MapPost("/lead-routing/{id:guid}", LeadSettingsPages.SaveRoutingRule);
        settings.MapPost("/lead-routing/{id:guid}/delete", LeadSettingsPages.RemoveRoutingRule);
        return app;
    }
}
