namespace Aida.Features.Leads;

public static class GetLead
{
    /// <summary>A lead merged into another answers 308 with the survivor's address (when the caller can see it).</summary>
    public static async Task<Results<Ok<LeadResponse>, RedirectHttpResult, ProblemHttpResult>> Handle(
        Guid id, AidaDb db, HttpResponse response, CancellationToken cancellationToken)
    {
        var result = await RunAsync(id, db, cancellationToken);
        if (result.Failure is Failure.NotFound && await MergeLeads.SurvivorAsync(db, id, cancellationToken) is { } survivor)
        {
            return TypedResults.Redirect($"/api/v1/leads/{survivor}", permanent: true, preserveMethod: true);
        }

        return result.ToOkOrProblem(response) switch
        {
            { Result: Ok<LeadResponse> ok } => ok,
            { Result: ProblemHttpResult problem } => problem,
            _ => throw new InvalidOperationException("Unexpected result."),
        };
    }

    public static Task<Result<LeadResponse>> RunAsync(Guid id, AidaDb db, CancellationToken cancellationToken) =>
        db.Set<Lead>().AsNoTracking().Where(l => l.Id == id).FindAsync("lead", l => l.ToResponse(), cancellationToken);
}
