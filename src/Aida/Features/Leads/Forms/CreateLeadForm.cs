namespace Aida.Features.Leads.Forms;

/// <summary>Defines a web form (admin.settings): its fields, the origins allowed to post it, and where visitors go after submitting.</summary>
public static class CreateLeadForm
{
    public sealed record Request(
        string? Name,
        IReadOnlyList<LeadFormFieldInput>? Fields,
        IReadOnlyList<string>? AllowedOrigins,
        string? SuccessRedirectUrl,
        LeadSourceType? SourceType,
        string? SourceDetail,
        bool? IsActive);

    public static async Task<Results<Created<LeadFormResponse>, ValidationProblem>> Handle(
        [FromBody] Request request, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(request, db, cancellationToken)).ToCreatedOrInvalid(response, created => LeadFormRules.Location(created.Id));

    public static async Task<Result<LeadFormResponse>> RunAsync(Request request, AidaDb db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var form = new LeadForm
        {
            SourceType = request.SourceType ?? LeadSourceType.Website,
            IsActive = request.IsActive ?? true,
            CreatedBy = db.Operation.ActorId == User.SystemId ? null : db.Operation.ActorId,
        };
        var name = LeadFormRules.Name(errors, request.Name);
        var fields = LeadFormRules.Fields(errors, request.Fields);
        var origins = LeadFormRules.Origins(errors, request.AllowedOrigins);
        LeadFormRules.ApplyCommon(errors, form, request.SuccessRedirectUrl, request.SourceDetail);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        form.Name = name!;
        form.FieldList = fields!;
        form.OriginList = origins!;
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        db.Add(form);
        db.Publish("lead_form.created", LeadFormRules.Subject(form), () => new { form = form.ToResponse() });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Result.Ok(form.ToResponse(), form.Version);
    }
}
