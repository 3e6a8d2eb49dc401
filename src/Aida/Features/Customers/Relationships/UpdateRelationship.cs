using Aida.Platform;
using Aida.Platform.Data;
using Aida.Platform.Events;
using Aida.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

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
        CancellationToken cancellationToken)
    {
        if (IfMatch.Parse(ifMatch) is not { IsValid: true } precondition)
        {
            return Problems.InvalidIfMatch();
        }

        var found = await db.Set<Relationship>()
            .Where(r => r.Id == relationshipId && (r.FromCustomerId == customerId || r.ToCustomerId == customerId))
            .FindForChangeAsync(precondition, "relationship", cancellationToken);
        if (found.Failed)
        {
            return found.Problem;
        }

        var relationship = found.Record;
        var errors = new ValidationErrors();
        var notes = request.Notes.IsSet ? errors.OptionalText("notes", request.Notes.Value, Relationship.NotesMaxLength) : relationship.Notes;
        var start = request.StartDate.Or(relationship.StartDate);
        var end = request.EndDate.Or(relationship.EndDate);
        RelationshipRules.CheckDates(errors, start, end);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        relationship.Notes = notes;
        relationship.StartDate = start;
        relationship.EndDate = end;
        var changes = db.ChangedFields(relationship);
        if (changes.Count > 0)
        {
            db.Publish("relationship.updated", RelationshipMapping.Subject(relationship), () => new { relationship = relationship.ToResponse(), changes });
            await db.SaveChangesAsync(cancellationToken);
        }

        ETags.Set(response, relationship.Version);
        return TypedResults.Ok(relationship.ToResponse());
    }
}
