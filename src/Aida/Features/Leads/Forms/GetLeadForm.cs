namespace Aida.Features.Leads.Forms;

public static class GetLeadForm
{
    public static async Task<Results<Ok<LeadFormResponse>, ProblemHttpResult>> Handle(
        Guid id, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(id, db, cancellationToken)).ToOkOrProblem(response);

    public static async Task<Result<LeadFormResponse>> RunAsync(Guid id, AidaDb db, CancellationToken cancellationToken)
    {
        var form = await db.Set<LeadForm>().AsNoTracking().FirstOrDefaultAsync(f => f.Id == id, cancellationToken);
        return form is null ? new Failure.NotFound("web form") : Result.Ok(form.ToResponse(), form.Version);
    }
}
