using Aida.Platform;
using Aida.Platform.Data;
using Aida.Platform.Events;
using Aida.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Aida.Features.Customers.Relationships;

public static class GetRelationship
{
    public static async Task<Results<Ok<RelationshipResponse>, ProblemHttpResult>> Handle(
        Guid customerId, Guid relationshipId, AidaDb db, HttpResponse response, CancellationToken cancellationToken)
    {
        var relationship = await db.Set<Relationship>().AsNoTracking()
            .FirstOrDefaultAsync(r => r.Id == relationshipId && (r.FromCustomerId == customerId || r.ToCustomerId == customerId), cancellationToken);
        if (relationship is null)
        {
            return Problems.NotFound("relationship");
        }

        ETags.Set(response, relationship.Version);
        return TypedResults.Ok(relationship.ToResponse());
    }
}
