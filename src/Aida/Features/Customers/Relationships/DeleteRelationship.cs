using Aida.Platform;
using Aida.Platform.Data;
using Aida.Platform.Events;
using Aida.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Aida.Features.Customers.Relationships;

public static class DeleteRelationship
{
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Handle(
        Guid customerId,
        Guid relationshipId,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        AidaDb db,
        CancellationToken cancellationToken)
    {
        if (IfMatch.Parse(ifMatch) is not { IsValid: true } precondition)
        {
            return Problems.InvalidIfMatch();
        }

        var relationship = await db.Set<Relationship>()
            .FirstOrDefaultAsync(r => r.Id == relationshipId && (r.FromCustomerId == customerId || r.ToCustomerId == customerId), cancellationToken);
        if (relationship is null)
        {
            return Problems.NotFound("relationship");
        }

        if (!precondition.Allows(relationship.Version))
        {
            return Problems.PreconditionFailed(relationship.Version);
        }

        relationship.DeletedAt = db.Clock.UtcNow();
        db.Publish("relationship.deleted", RelationshipMapping.Subject(relationship), () => new { relationship = relationship.ToResponse() });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }
}
