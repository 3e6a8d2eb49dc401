namespace Aida.Features.Interactions;

public static class GetInteraction
{
    public static async Task<Results<Ok<InteractionResponse>, ProblemHttpResult>> Handle(
        Guid id, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(id, db, cancellationToken)).ToOkOrProblem(response);

    public static async Task<Result<InteractionResponse>> RunAsync(Guid id, AidaDb db, CancellationToken cancellationToken)
    {
        var interaction = await db.Set<Interaction>().AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        return interaction is null
            ? new Failure.NotFound("interaction")
            : Result.Ok(interaction.ToResponse(), interaction.Version);
    }
}
