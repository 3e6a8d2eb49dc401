namespace Aida.Features.Interactions;

/// <summary>
/// Soft-deletes an interaction. Whoever logged it may take it back; anyone else needs customers.delete
/// (spec edge case "bulk interaction delete": removing others' history is for those trusted with it,
/// and the audit log keeps who did it).
/// </summary>
public static class DeleteInteraction
{
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, [FromHeader(Name = "If-Match")] string? ifMatch, AidaDb db, CancellationToken cancellationToken) =>
        (await RunAsync(id, ifMatch, db, cancellationToken)).ToNoContent();

    public static async Task<Result<Interaction>> RunAsync(Guid id, string? ifMatch, AidaDb db, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var createdBy = await db.Set<Interaction>().Where(i => i.Id == id).Select(i => (Guid?)i.CreatedBy).FirstOrDefaultAsync(cancellationToken);
        if (createdBy is not null && createdBy != db.Operation.ActorId && !db.Operation.Access.Can(Permissions.CustomersDelete))
        {
            return new Failure.Forbidden("id", "Only the person who logged this interaction, or someone allowed to delete customer records, can delete it.");
        }

        var result = await db.SoftDeleteAsync(db.Set<Interaction>().Where(i => i.Id == id), ifMatch, "interaction",
            "interaction.deleted", InteractionMapping.Subject, i => new { interaction = i.ToResponse() }, cancellationToken);
        if (result.Succeeded)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return result;
    }
}
