namespace Aida.Features.Leads;

/// <summary>
/// <c>POST /api/v1/leads/{id}/disqualify</c> (reason required, <c>lead.disqualified</c>): the sales judgement
/// that the lead is not worth pursuing, the opposite of <see cref="QualifyLead"/>; <see cref="ReopenLead"/> undoes it.
/// </summary>
public static class DisqualifyLead
{
    public static async Task<Results<Ok<LeadResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, [FromBody] LeadStates.ReasonRequest? request, [FromHeader(Name = "If-Match")] string? ifMatch, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(id, request, ifMatch, db, cancellationToken)).ToOk(response);

    public static Task<Result<LeadResponse>> RunAsync(
        Guid id, LeadStates.ReasonRequest? request, string? ifMatch, AidaDb db, CancellationToken cancellationToken) =>
        QualifyLead.JudgeAsync(id, request, ifMatch, db, QualificationStatus.Disqualified, cancellationToken);
}
