namespace Aida.Features.Interactions.Communications;

public static class GetCommunication
{
    public static async Task<Results<Ok<CommunicationResponse>, ProblemHttpResult>> Handle(Guid id, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(id, db, cancellationToken)).ToOkOrProblem(response);

    public static async Task<Result<CommunicationResponse>> RunAsync(Guid id, AidaDb db, CancellationToken cancellationToken)
    {
        var communication = await db.Set<Communication>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        return communication is null ? new Failure.NotFound("communication") : Result.Ok(communication.ToResponse());
    }
}
