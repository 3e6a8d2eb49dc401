namespace Aida.Features.Leads.Forms;

/// <summary>Edits a web form (merge-patch, If-Match). The public key never changes, so embedded snippets keep working.</summary>
public static class UpdateLeadForm
{
    public sealed record Request(
        Optional<string> Name,
        Optional<IReadOnlyList<LeadFormFieldInput>> Fields,
        Optional<IReadOnlyList<string>?> AllowedOrigins,
        Optional<string?> SuccessRedirectUrl,
        Optional<LeadSourceType> SourceType,
        Optional<string?> SourceDetail,
        Optional<bool> IsActive);

    public static async Task<Results<Ok<LeadFormResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id,
        [FromBody] Request request,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        AidaDb db,
        HttpResponse response,
        CancellationToken cancellationToken) =>
        (await RunAsync(id, request, ifMatch, db, cancellationToken)).ToOk(response);

    public static Task<Result<LeadFormResponse>> RunAsync(Guid id, Request request, string? ifMatch, AidaDb db, CancellationToken cancellationToken) =>
        db.ChangeAsync(db.Set<LeadForm>().Where(f => f.Id == id), ifMatch, "web form", form =>
        {
            var errors = new ValidationErrors();
            var name = request.Name.IsSet ? LeadFormRules.Name(errors, request.Name.Value) : form.Name;
            var fields = request.Fields.IsSet ? LeadFormRules.Fields(errors, request.Fields.Value) : null;
            var origins = request.AllowedOrigins.IsSet ? LeadFormRules.Origins(errors, request.AllowedOrigins.Value) : null;
            var redirect = request.SuccessRedirectUrl.IsSet ? LeadFields.Url(errors, "successRedirectUrl", request.SuccessRedirectUrl.Value) : form.SuccessRedirectUrl;
            var detail = request.SourceDetail.IsSet ? errors.OptionalText("sourceDetail", request.SourceDetail.Value, Lead.SourceDetailMaxLength) : form.SourceDetail;
            if (errors.Any)
            {
                return Task.FromResult<Failure?>(errors.ToFailure());
            }

            form.Name = name!;
            if (fields is not null)
            {
                form.FieldList = fields;
            }

            if (origins is not null)
            {
                form.OriginList = origins;
            }

            form.SuccessRedirectUrl = redirect;
            form.SourceDetail = detail;
            form.SourceType = request.SourceType.Or(form.SourceType);
            form.IsActive = request.IsActive.Or(form.IsActive);

            db.PublishChanges(form, "lead_form.updated", LeadFormRules.Subject(form), changes => new { form = form.ToResponse(), changes });

            return Task.FromResult<Failure?>(null);
        }, form => form.ToResponse(), cancellationToken);
}
