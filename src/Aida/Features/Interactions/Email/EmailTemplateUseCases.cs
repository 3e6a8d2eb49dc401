namespace Aida.Features.Interactions.Email;

public static class CreateEmailTemplate
{
    public sealed record Request(string? Name, string? Subject, string? BodyText, string? BodyHtml);

    public static async Task<Results<Created<EmailTemplateResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        [FromBody] Request request, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(request, db, cancellationToken)).ToCreated(response, t => EmailTemplateMapping.Location(t.Id));

    public static async Task<Result<EmailTemplateResponse>> RunAsync(Request request, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var name = EmailTemplateRules.Name(errors, request.Name);
        var subject = EmailTemplateRules.Subject(errors, request.Subject);
        var text = EmailTemplateRules.Body(errors, "bodyText", request.BodyText);
        var html = EmailTemplateRules.Body(errors, "bodyHtml", request.BodyHtml);
        EmailTemplateRules.NeedsABody(errors, text, html);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var template = new EmailTemplate { Name = name!, Subject = subject!, BodyText = text, BodyHtml = html, CreatedBy = db.Operation.ActorId };
        db.Add(template);
        db.Publish("email_template.created", $"email-templates/{template.Id}", template.ToEvent);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Result.Ok(template.ToResponse(), template.Version);
    }
}

public static class UpdateEmailTemplate
{
    public sealed record Request(Optional<string?> Name, Optional<string?> Subject, Optional<string?> BodyText, Optional<string?> BodyHtml);

    public static async Task<Results<Ok<EmailTemplateResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, [FromBody] Request request, [FromHeader(Name = "If-Match")] string? ifMatch, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(id, request, ifMatch, db, cancellationToken)).ToOk(response);

    public static Task<Result<EmailTemplateResponse>> RunAsync(Guid id, Request request, string? ifMatch, AidaDb db, CancellationToken cancellationToken) =>
        db.ChangeAsync(db.Set<EmailTemplate>().Where(t => t.Id == id), ifMatch, "email template", template =>
        {
            var errors = new ValidationErrors();
            var name = request.Name.IsSet ? EmailTemplateRules.Name(errors, request.Name.Value) : template.Name;
            var subject = request.Subject.IsSet ? EmailTemplateRules.Subject(errors, request.Subject.Value) : template.Subject;
            var text = request.BodyText.IsSet ? EmailTemplateRules.Body(errors, "bodyText", request.BodyText.Value) : template.BodyText;
            var html = request.BodyHtml.IsSet ? EmailTemplateRules.Body(errors, "bodyHtml", request.BodyHtml.Value) : template.BodyHtml;
            EmailTemplateRules.NeedsABody(errors, text, html);
            if (errors.Any)
            {
                return Task.FromResult<Failure?>(errors.ToFailure());
            }

            (template.Name, template.Subject, template.BodyText, template.BodyHtml) = (name!, subject!, text, html);
            db.Publish("email_template.updated", $"email-templates/{template.Id}", template.ToEvent);
            return Task.FromResult<Failure?>(null);
        }, t => t.ToResponse(), cancellationToken);
}

public static class DeleteEmailTemplate
{
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, [FromHeader(Name = "If-Match")] string? ifMatch, AidaDb db, CancellationToken cancellationToken) =>
        (await db.SoftDeleteAsync(db.Set<EmailTemplate>().Where(t => t.Id == id), ifMatch, "email template",
            "email_template.deleted", t => $"email-templates/{t.Id}", t => t.ToEvent(), cancellationToken)).ToNoContent();
}

public static class GetEmailTemplate
{
    public static async Task<Results<Ok<EmailTemplateResponse>, ProblemHttpResult>> Handle(Guid id, AidaDb db, HttpResponse response, CancellationToken cancellationToken)
    {
        var template = await db.Set<EmailTemplate>().AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        return (template is null ? new Failure.NotFound("email template") : Result.Ok(template.ToResponse(), template.Version)).ToOkOrProblem(response);
    }
}

public static class ListEmailTemplates
{
    public sealed record Page(IReadOnlyList<EmailTemplateResponse> Items);

    /// <summary>Every template, by name: an organisation keeps tens of them, not thousands, so one page holds them all.</summary>
    public static async Task<Ok<Page>> Handle(AidaDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok(new Page(await ReadAsync(db, cancellationToken)));

    public static async Task<IReadOnlyList<EmailTemplateResponse>> ReadAsync(AidaDb db, CancellationToken cancellationToken) =>
        (await db.Set<EmailTemplate>().AsNoTracking().OrderBy(t => t.Name).Take(1000).ToListAsync(cancellationToken)).Select(t => t.ToResponse()).ToList();
}
