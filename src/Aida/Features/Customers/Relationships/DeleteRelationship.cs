namespace Aida.Features.Customers.Relationships;

/// <summary>Removes a relationship; either of its two customers' URLs may be used.</summary>
public static class DeleteRelationship
{
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Handle(
        Guid customerId,
        Guid relationshipId,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        AidaDb db,
        CancellationToken cancellationToken) =>
        (await RunAsync(customerId, relationshipId, ifMatch, db, cancellationToken)).ToNoContent();

    public static Task<Result<Relationship>> RunAsync(Guid customerId, Guid relationshipId, string? ifMatch, AidaDb db, CancellationToken cancellationToken) =>
        db.SoftDeleteAsync(
            db.Set<Relationship>().Where(r => r.Id == relationshipId && (r.FromCustomerId == customerId || r.ToCustomerId == customerId)),
            ifMatch, "relationship", "relationship.deleted", RelationshipMapping.Subject, r => new { relationship = r.ToResponse() }, cancellationToken);
}
