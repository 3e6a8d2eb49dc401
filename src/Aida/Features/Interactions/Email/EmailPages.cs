using Aida.Features.Customers;
using Aida.Features.Customers.Contacts;
using Aida.Features.Customers.Pages;
using Aida.Platform.Jobs;
using Microsoft.Extensions.Options;

namespace Aida.Features.Interactions.Email;

/// <summary>
/// Writing an email from the customer page (compose, pick a template, preview, send) and the templates screen
/// (list, edit with a preview). Plain forms: the buttons say what to do (use the template, preview, send), so
/// the pages work without script; the use cases are the API's own.
/// </summary>
public static class EmailPages
{
    public sealed record ComposeForm(
        CustomerResponse Customer,
        IReadOnlyList<ContactResponse> Contacts,
        IReadOnlyList<EmailTemplateResponse> Templates,
        FormValues Values,
        bool DeliveryOn,
        IReadOnlyDictionary<string, string[]>? Errors = null,
        PreviewEmail.Preview? Preview = null);

    public static async Task<IResult> Compose(Guid customerId, HttpContext http, AidaDb db, IOptions<EmailOptions> options, CancellationToken cancellationToken)
    {
        var form = await ComposeFormAsync(db, customerId, options.Value, cancellationToken);
        if (form is null)
        {
            return Html.NotFound(http, "customer");
        }

        var first = form.Contacts.FirstOrDefault(c => c.Email is not null && !c.DoNotContact);
        var values = new Dictionary<string, string?> { ["contactId"] = first?.Id.ToString() };
        return Html.Page<ComposeEmailPage>(new { Context = UiContext.For(http), F = form with { Values = new FormValues(values) } });
    }

    public static async Task<IResult> ComposePosted(
        Guid customerId, HttpContext http, AidaDb db, IOptions<EmailOptions> options, [FromServices] JobTriggers triggers, IFormCollection posted, CancellationToken cancellationToken)
    {
        var form = await ComposeFormAsync(db, customerId, options.Value, cancellationToken);
        if (form is null)
        {
            return Html.NotFound(http, "customer");
        }

        var values = new FormValues(posted);
        var action = values["action"];
        if (action == "template")
        {
            // Copies the template's text into the form, to edit before sending.
            var template = values.Id("templateId") is { } templateId ? form.Templates.FirstOrDefault(t => t.Id == templateId) : null;
            var filled = new Dictionary<string, string?>
            {
                ["contactId"] = values["contactId"],
                ["templateId"] = values["templateId"],
                ["subject"] = template?.Subject ?? values["subject"],
                ["bodyText"] = template?.BodyText ?? "",
                ["bodyHtml"] = template?.BodyHtml ?? "",
            };
            var errors = template is null ? new Dictionary<string, string[]> { ["templateId"] = ["Choose a template."] } : null;
            return Render(http, form with { Values = new FormValues(filled), Errors = errors }, errors is null ? 200 : 400);
        }

        var request = new ComposeRequest(values.Id("contactId"), customerId, null, null, values.Text("subject"), values.Text("bodyText"), values.Text("bodyHtml"));
        if (request.ContactId is null)
        {
            return Render(http, form with { Values = values, Errors = new Dictionary<string, string[]> { ["contactId"] = ["Choose who to write to."] } }, 400);
        }

        if (action == "preview")
        {
            var preview = await PreviewEmail.RunAsync(request, db, cancellationToken);
            return preview.Failure is { } failure
                ? Render(http, form with { Values = values, Errors = values.With(failure.FieldErrors) }, failure.StatusCode)
                : Render(http, form with { Values = values, Preview = preview.Value });
        }

        var sent = await SendEmail.RunAsync(request, InteractionSource.Manual, db, options.Value, triggers, cancellationToken);
        if (sent.Failure is { } refused)
        {
            var errors = refused is Failure.Conflict conflict
                ? new Dictionary<string, string[]> { ["contactId"] = [conflict.Detail] }
                : values.With(refused.FieldErrors);
            return Render(http, form with { Values = values, Errors = errors }, refused.StatusCode);
        }

        var done = options.Value.DeliveryOn ? "The email is queued and will be sent in a moment." : "The email is queued. " + EmailMapping.DeliveryOff;
        return Html.Done(http, $"/customers/{customerId}?tab=timeline#entry-{sent.Value!.InteractionId}", done);
    }

    public static async Task<IResult> Templates(HttpContext http, AidaDb db, CancellationToken cancellationToken) =>
        Html.Page<EmailTemplatesPage>(new { Context = UiContext.For(http), Templates = await ListEmailTemplates.ReadAsync(db, cancellationToken) });

    public static IResult NewTemplate(HttpContext http) =>
        RenderTemplate(http, new FormValues(new Dictionary<string, string?>()), null, null, null);

    public static async Task<IResult> EditTemplate(Guid id, HttpContext http, AidaDb db, CancellationToken cancellationToken)
    {
        var template = await db.Set<EmailTemplate>().AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        return template is null ? Html.NotFound(http, "email template") : RenderTemplate(http, ValuesOf(template.ToResponse()), null, template.ToResponse(), null);
    }

    public static async Task<IResult> SaveTemplate(Guid? id, HttpContext http, AidaDb db, IFormCollection posted, CancellationToken cancellationToken)
    {
        var values = new FormValues(posted);
        var existing = id is { } templateId ? (await db.Set<EmailTemplate>().AsNoTracking().FirstOrDefaultAsync(t => t.Id == templateId, cancellationToken))?.ToResponse() : null;
        if (id is not null && existing is null)
        {
            return Html.NotFound(http, "email template");
        }

        if (values["action"] == "preview")
        {
            var errors = new ValidationErrors();
            var subject = EmailTemplateRules.Subject(errors, values.Text("subject"));
            var text = EmailTemplateRules.Body(errors, "bodyText", values.Text("bodyText"));
            var html = EmailTemplateRules.Body(errors, "bodyHtml", values.Text("bodyHtml"));
            if (errors.Any)
            {
                return RenderTemplate(http, values, errors.ToDictionary(), existing, null, 400);
            }

            var user = await db.Set<User>().AsNoTracking().Where(u => u.Id == db.Operation.ActorId).Select(u => new { u.DisplayName, u.Email }).FirstOrDefaultAsync(cancellationToken);
            var sample = new Contact { FirstName = "Ann", LastName = "Example", Email = "ann@example.com", JobTitle = "Head of Purchasing" };
            var sampleValues = TemplateText.Values("Example & Sons Ltd", sample, user?.DisplayName ?? "", user?.Email ?? "");
            var preview = new PreviewEmail.Preview("ann@example.com", Guid.Empty, Guid.Empty, TemplateText.Render(subject!, sampleValues, false),
                text is null ? null : TemplateText.Render(text, sampleValues, false), html is null ? null : TemplateText.Render(html, sampleValues, true), null);
            return RenderTemplate(http, values, null, existing, preview);
        }

        Result<EmailTemplateResponse> result = existing is null
            ? await CreateEmailTemplate.RunAsync(new CreateEmailTemplate.Request(values.Text("name"), values.Text("subject"), values.Text("bodyText"), values.Text("bodyHtml")), db, cancellationToken)
            : await UpdateEmailTemplate.RunAsync(existing.Id, new UpdateEmailTemplate.Request(values.Text("name"), values.Text("subject"), values.Text("bodyText"), values.Text("bodyHtml")),
                values.IfMatch ?? "", db, cancellationToken);
        return result.Failure switch
        {
            null => Html.Done(http, "/email-templates", "The template was saved."),
            Failure.Stale => RenderTemplate(http, values, new Dictionary<string, string[]> { [""] = ["Someone changed this template while you were editing it. Reload it to see their change."] }, existing, null, 412),
            var failure => RenderTemplate(http, values, values.With(failure.FieldErrors), existing, null, failure.StatusCode),
        };
    }

    public static async Task<IResult> DeleteTemplate(Guid id, HttpContext http, AidaDb db, IFormCollection posted, CancellationToken cancellationToken)
    {
        var values = new FormValues(posted);
        var result = await db.SoftDeleteAsync(db.Set<EmailTemplate>().Where(t => t.Id == id), values.IfMatch ?? "", "email template",
            "email_template.deleted", t => $"email-templates/{t.Id}", t => t.ToEvent(), cancellationToken);
        return Html.Finish(http, result.Failure, "/email-templates", "The template was deleted.", failedUrl: $"/email-templates/{id}/edit");
    }

    private static FormValues ValuesOf(EmailTemplateResponse t) => new(new Dictionary<string, string?>
    {
        ["name"] = t.Name,
        ["subject"] = t.Subject,
        ["bodyText"] = t.BodyText,
        ["bodyHtml"] = t.BodyHtml,
        ["version"] = t.Version.ToString(CultureInfo.InvariantCulture),
    });

    private static IResult Render(HttpContext http, ComposeForm form, int status = StatusCodes.Status200OK) =>
        Html.Page<ComposeEmailPage>(new { Context = UiContext.For(http), F = form }, status);

    private static IResult RenderTemplate(HttpContext http, FormValues values, IReadOnlyDictionary<string, string[]>? errors, EmailTemplateResponse? existing,
        PreviewEmail.Preview? preview, int status = StatusCodes.Status200OK) =>
        Html.Page<EmailTemplateEditorPage>(new { Context = UiContext.For(http), Values = values, Errors = errors, Existing = existing, Preview = preview }, status);

    private static async Task<ComposeForm?> ComposeFormAsync(AidaDb db, Guid customerId, EmailOptions options, CancellationToken cancellationToken)
    {
        var customer = await CustomerPages.FindAsync(db, customerId, cancellationToken);
        if (customer is null)
        {
            return null;
        }

        var contacts = await db.Set<Contact>().AsNoTracking().Where(c => c.CustomerId == customerId && c.Email != null)
            .OrderByDescending(c => c.IsPrimary).ThenBy(c => c.LastName).Take(200).Select(c => c.ToResponse()).ToListAsync(cancellationToken);
        var templates = await ListEmailTemplates.ReadAsync(db, cancellationToken);
        return new ComposeForm(customer, contacts, templates, new FormValues(new Dictionary<string, string?>()), options.DeliveryOn);
    }
}
