namespace Aida.Features.Customers.Relationships;

public static class GetRelationship
{
    public static async Task<Results<Ok<RelationshipResponse>, ProblemHttpResult>> Handle(
        Guid customerId, Guid relationshipId, AidaDb db, HttpResponse response, CancellationToken cancellationToken) =>
        (await RunAsync(customerId, relationshipId, db, cancellationToken)).ToOkOrProblem(response);

    public static Task<Result<RelationshipResponse>> RunAsync(Guid customerId, Guid relationshipId, AidaDb db, CancellationToken cancellationToken) =>
        db.Set<Relationship>().AsNoTracking().Where(r => r.Id == relationshipId && (r.FromCustomerId == customerId || r.ToCustomerId == customerId)).FindAsync("relationship", r => r.ToResponse(), cancellationToken);
}
