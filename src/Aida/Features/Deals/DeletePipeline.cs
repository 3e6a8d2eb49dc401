namespace Aida.Features.Deals;

/// <summary>
/// Soft-deletes a pipeline (admin.settings). Refused (409) while it is the default — there is always one,
/// so the last pipeline is never deleted — and while it holds open deals, whoever can see them; its closed
/// deals keep it and their history.
/// </summary>
public static class DeletePipeline
{
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, [FromHeader(Name = "If-Match")] string? ifMatch, AidaDb db, CancellationToken cancellationToken) =>
        (await RunAsync(id, ifMatch, db, cancellationToken)).ToNoContent();

    public static async Task<Result<Pipeline>> RunAsync(Guid id, string? ifMatch, AidaDb db, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var pipeline = await db.Set<Pipeline>().AsNoTracking().Where(p => p.Id == id).Select(p => new { p.IsDefault }).FirstOrDefaultAsync(cancellationToken);
        if (pipeline is { IsDefault: true })
        {
            return new Failure.Conflict("id", "The default pipeline cannot be deleted; make another pipeline the default first.");
        }

        if (pipeline is not null && await DealAccess.All(db).AnyAsync(o => o.PipelineId == id && o.Status == DealStatus.Open, cancellationToken))
        {
            return new Failure.Conflict("id", "The pipeline holds open deals; close or delete them first.");
        }

        var result = await db.SoftDeleteAsync(db.Set<Pipeline>().Where(p => p.Id == id), ifMatch, "pipeline",
            "pipeline.deleted", CreatePipeline.Subject, p => new { pipelineId = p.Id, p.Name }, cancellationToken);
        if (result.Succeeded)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return result;
    }
}
