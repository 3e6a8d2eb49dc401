namespace Aida.Features.Leads.Forms;

public static class GetLeadForm
{
    public static async Task<Results<Ok<LeadFormResponse>, ProblemHttpResult>> Handle(
        Guid id, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(id, db, cancellationToken)).ToOkOrProblem(response);

    public static Task<Result<LeadFormResponse>> RunAsync(Guid id, AidaDb db, CancellationToken cancellationToken) =>
        db.Set<LeadForm>().AsNoTracking().Where(f => f.Id == id).FindAsync("web form", f => f.ToResponse(), cancellationToken);
}
