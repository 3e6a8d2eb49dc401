namespace Aida.Features.Leads;

public static class GetLead
{
    public static async Task<Results<Ok<LeadResponse>, ProblemHttpResult>> Handle(
        Guid id, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(id, db, cancellationToken)).ToOkOrProblem(response);

    public static async Task<Result<LeadResponse>> RunAsync(Guid id, AidaDb db, CancellationToken cancellationToken)
    {
        var lead = await db.Set<Lead>().AsNoTracking().FirstOrDefaultAsync(l => l.Id == id, cancellationToken);
        return lead is null ? new Failure.NotFound("lead") : Result.Ok(lead.ToResponse(), lead.Version);
    }
}
