using Aida.Platform.Data;
using Aida.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Aida.Features.Leads;

public static class GetLead
{
    public static async Task<Results<Ok<LeadResponse>, ProblemHttpResult>> Handle(
        Guid id, AidaDb db, HttpResponse response, CancellationToken cancellationToken)
    {
        var lead = await db.Set<Lead>().AsNoTracking().FirstOrDefaultAsync(l => l.Id == id, cancellationToken);
        if (lead is null)
        {
            return Problems.NotFound("lead");
        }

        ETags.Set(response, lead.Version);
        return TypedResults.Ok(lead.ToResponse());
    }
}
