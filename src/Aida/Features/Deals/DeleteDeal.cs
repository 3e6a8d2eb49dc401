namespace Aida.Features.Deals;

/// <summary>Soft-deletes a deal (leads.delete); its stage history stays with it for the audit trail.</summary>
public static class DeleteDeal
{
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, [FromHeader(Name = "If-Match")] string? ifMatch, AidaDb db, CancellationToken cancellationToken) =>
        (await RunAsync(id, ifMatch, db, cancellationToken)).ToNoContent();

    public static async Task<Result<Opportunity>> RunAsync(Guid id, string? ifMatch, AidaDb db, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var result = await db.SoftDeleteAsync(db.Set<Opportunity>().Where(o => o.Id == id), ifMatch, "deal",
            "deal.deleted", OpenDeal.Subject, o => new { dealId = o.Id, o.Title, o.CustomerId }, cancellationToken);
        if (result.Succeeded)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return result;
    }
}
