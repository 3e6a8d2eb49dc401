using Aida.Platform.Jobs;
using Microsoft.Extensions.Options;

namespace Aida.Features.Interactions.Email;

/// <summary>Email out (issue 19 item 4): the send queue and its job, templates, and the send, status and preview endpoints.</summary>
public static class EmailModule
{
    public static IServiceCollection AddEmail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EmailOptions>().Bind(configuration.GetSection("Email")).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EmailOptions>, EmailOptionsValidation>();
        services.AddScheduledJob<EmailSendJob>();
        return services;
    }

    public static IEndpointRouteBuilder MapEmail(this IEndpointRouteBuilder app)
    {
        const string Edit = Permissions.CustomersEditProfile;
        var api = app.MapGroup("/api/v1").WithIdempotency().RequirePermission(Permissions.CustomersViewOwn);

        var emails = api.MapGroup("/emails").WithTags("Email");
        emails.MapPost("/", SendEmail.Handle).WithName("Emails_Send").RequirePermission(Edit)
            .WithSummary("Queue an email to a contact (contactId, or customerId and the contact's address in to) with a subject and text/HTML body or a templateId. 202 with its status; logged on the customer's timeline. A contact marked doNotContact or whose address bounced is refused (409 naming the field).");
        emails.MapGet("/", ListEmails.Handle).WithName("Emails_List")
            .WithSummary("Emails Aida sent or is sending, newest first, by customerId and status (queued, sending, sent, failed, bounced, uncertain); cursor-paged.");
        emails.MapGet("/{id:guid}", GetEmail.Handle).WithName("Emails_Get")
            .WithSummary("An email's delivery status: queued (with the next attempt and the last failure), sent, failed or bounced with the server's reason, or uncertain.");
        emails.MapPost("/{id:guid}/resend", ResendEmail.Handle).WithName("Emails_Resend").RequirePermission(Edit)
            .WithSummary("Queue a failed or uncertain email again, with the same Message-ID.");
        emails.MapPost("/preview", PreviewEmail.Handle).WithName("Emails_Preview")
            .WithSummary("Render an email (a template or text of your own) for a contact without sending it; says why it would be refused, if it would.");

        var templates = api.MapGroup("/email-templates").WithTags("Email");
        templates.MapPost("/", CreateEmailTemplate.Handle).WithName("EmailTemplates_Create").RequirePermission(Edit)
            .WithSummary("Create an email template: name, subject and text and/or HTML body with {{placeholders}}; an unknown placeholder is refused naming the field.");
        templates.MapGet("/", ListEmailTemplates.Handle).WithName("EmailTemplates_List").WithSummary("Every email template, by name.");
        templates.MapGet("/{id:guid}", GetEmailTemplate.Handle).WithName("EmailTemplates_Get").WithSummary("Get an email template.");
        templates.MapPatch("/{id:guid}", UpdateEmailTemplate.Handle).WithName("EmailTemplates_Update").RequirePermission(Edit)
            .WithSummary("Change an email template (merge-patch; If-Match).");
        templates.MapDelete("/{id:guid}", DeleteEmailTemplate.Handle).WithName("EmailTemplates_Delete").RequirePermission(Edit)
            .WithSummary("Delete an email template (soft delete); messages already sent from it keep their text.");

        var pages = app.MapGroup("").RequirePagePermission(Permissions.CustomersViewOwn).ExcludeFromDescription();
        pages.MapGet("/customers/{customerId:guid}/emails/new", EmailPages.Compose).RequirePagePermission(Edit);
        pages.MapPost("/customers/{customerId:guid}/emails/new", EmailPages.ComposePosted).RequirePagePermission(Edit);
        pages.MapGet("/email-templates", EmailPages.Templates);
        pages.MapGet("/email-templates/new", EmailPages.NewTemplate).RequirePagePermission(Edit);
        pages.MapPost("/email-templates/new", (HttpContext http, AidaDb db, IFormCollection posted, CancellationToken ct) => EmailPages.SaveTemplate(null, http, db, posted, ct))
            .RequirePagePermission(Edit);
        pages.MapGet("/email-templates/{id:guid}/edit", EmailPages.EditTemplate).RequirePagePermission(Edit);
        pages.MapPost("/email-templates/{id:guid}/edit", (Guid id, HttpContext http, AidaDb db, IFormCollection posted, CancellationToken ct) => EmailPages.SaveTemplate(id, http, db, posted, ct))
            .RequirePagePermission(Edit);
        pages.MapPost("/email-templates/{id:guid}/delete", EmailPages.DeleteTemplate).RequirePagePermission(Edit);
        return app;
    }

    private sealed class EmailOptionsValidation : IValidateOptions<EmailOptions>
    {
        public ValidateOptionsResult Validate(string? name, EmailOptions options) =>
            options.Problems().ToList() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
