namespace Aida.Features.Customers.Relationships;

public static class GetRelationship
{
    public static async Task<Results<Ok<RelationshipResponse>, ProblemHttpResult>> Handle(
        Guid customerId, Guid relationshipId, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(customerId, relationshipId, db, cancellationToken)).ToOkOrProblem(response);

    public static async Task<Result<RelationshipResponse>> RunAsync(Guid customerId, Guid relationshipId, AidaDb db, CancellationToken cancellationToken) =>
        await db.Set<Relationship>().AsNoTracking()
            .FirstOrDefaultAsync(r => r.Id == relationshipId && (r.FromCustomerId == customerId || r.ToCustomerId == customerId), cancellationToken) is { } relationship
            ? Result.Ok(relationship.ToResponse(), relationship.Version)
            : new Failure.NotFound("relationship");
}
