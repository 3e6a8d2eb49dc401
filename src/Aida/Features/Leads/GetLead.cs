namespace Aida.Features.Leads;

public static class GetLead
{
    public static async Task<Results<Ok<LeadResponse>, ProblemHttpResult>> Handle(
        Guid id, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(id, db, cancellationToken)).ToOkOrProblem(response);

    public static Task<Result<LeadResponse>> RunAsync(Guid id, AidaDb db, CancellationToken cancellationToken) =>
        db.Set<Lead>().AsNoTracking().Where(l => l.Id == id).FindAsync("lead", l => l.ToResponse(), cancellationToken);
}
