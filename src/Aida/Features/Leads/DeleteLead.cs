namespace Aida.Features.Leads;

/// <summary>Soft-deletes a lead (leads.delete, If-Match) and emits <c>lead.deleted</c>. A deleted lead no longer absorbs captures.</summary>
public static class DeleteLead
{
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, [FromHeader(Name = "If-Match")] string? ifMatch, AidaDb db, CancellationToken cancellationToken) =>
        (await RunAsync(id, ifMatch, db, cancellationToken)).ToNoContent();

    public static async Task<Result<Lead>> RunAsync(Guid id, string? ifMatch, AidaDb db, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var result = await db.SoftDeleteAsync(db.Set<Lead>().Where(l => l.Id == id), ifMatch, "lead",
            "lead.deleted", LeadMapping.Subject, l => new { lead = l.ToResponse() }, cancellationToken);
        if (result.Succeeded)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return result;
    }
}
