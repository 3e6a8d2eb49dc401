namespace Aida.Features.Leads.Routing;

/// <summary>Deletes a lead routing rule (If-Match, soft delete).</summary>
public static class DeleteRoutingRule
{
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, [FromHeader(Name = "If-Match")] string? ifMatch, AidaDb db, CancellationToken cancellationToken) =>
        (await RunAsync(id, ifMatch, db, cancellationToken)).ToNoContent();

    public static Task<Result<Guid>> RunAsync(Guid id, string? ifMatch, AidaDb db, CancellationToken cancellationToken) =>
        db.ChangeAsync(db.Set<LeadRoutingRule>().Where(r => r.Id == id), ifMatch, "routing rule", rule =>
        {
            rule.DeletedAt = db.Clock.UtcNow();
            return Task.FromResult<Failure?>(null);
        }, rule => rule.Id, cancellationToken);
}
