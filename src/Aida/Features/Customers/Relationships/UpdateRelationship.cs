namespace Aida.Features.Customers.Relationships;

/// <summary>Changes a relationship's notes and dates. Its ends and type are its identity: delete and create to change them.</summary>
public static class UpdateRelationship
{
    public sealed record Request(Optional<string?> Notes, Optional<DateOnly?> StartDate, Optional<DateOnly?> EndDate);

    public static async Task<Results<Ok<RelationshipResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid customerId,
        Guid relationshipId,
        [FromBody] Request request,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        AidaDb db,
        HttpResponse response,
        CancellationToken cancellationToken) =>
        (await RunAsync(customerId, relationshipId, request, ifMatch, db, cancellationToken)).ToOk(response);

    public static Task<Result<RelationshipResponse>> RunAsync(
        Guid customerId, Guid relationshipId, Request request, string? ifMatch, AidaDb db, CancellationToken cancellationToken) =>
        db.ChangeAsync(
            db.Set<Relationship>().Where(r => r.Id == relationshipId && (r.FromCustomerId == customerId || r.ToCustomerId == customerId)),
            ifMatch, "relationship", relationship =>
            {
                var errors = new ValidationErrors();
                var notes = request.Notes.IsSet ? errors.OptionalText("notes", request.Notes.Value, Relationship.NotesMaxLength) : relationship.Notes;
                var start = request.StartDate.Or(relationship.StartDate);
                var end = request.EndDate.Or(relationship.EndDate);
                RelationshipRules.CheckDates(errors, start, end);
                if (errors.Any)
                {
                    return Task.FromResult<Failure?>(errors.ToFailure());
                }

                relationship.Notes = notes;
                relationship.StartDate = start;
                relationship.EndDate = end;
                db.PublishChanges(relationship, "relationship.updated", RelationshipMapping.Subject(relationship), changes => new { relationship = relationship.ToResponse(), changes });

                return Task.FromResult<Failure?>(null);
            }, relationship => relationship.ToResponse(), cancellationToken);
}
