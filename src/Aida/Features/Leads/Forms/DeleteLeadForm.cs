namespace Aida.Features.Leads.Forms;

/// <summary>Soft-deletes a web form: its address answers 404 from then on; the leads it captured keep their form id.</summary>
public static class DeleteLeadForm
{
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, [FromHeader(Name = "If-Match")] string? ifMatch, AidaDb db, CancellationToken cancellationToken) =>
        (await RunAsync(id, ifMatch, db, cancellationToken)).ToNoContent();

    public static async Task<Result<LeadForm>> RunAsync(Guid id, string? ifMatch, AidaDb db, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var result = await db.SoftDeleteAsync(db.Set<LeadForm>().Where(f => f.Id == id), ifMatch, "web form",
            "lead_form.deleted", LeadFormRules.Subject, f => new { form = f.ToResponse() }, cancellationToken);
        if (result.Succeeded)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return result;
    }
}
