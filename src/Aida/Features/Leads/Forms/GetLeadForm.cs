using Aida.Platform.Data;
using Aida.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Aida.Features.Leads.Forms;

public static class GetLeadForm
{
    public static async Task<Results<Ok<LeadFormResponse>, ProblemHttpResult>> Handle(
        Guid id, AidaDb db, HttpResponse response, CancellationToken cancellationToken)
    {
        var form = await db.Set<LeadForm>().AsNoTracking().FirstOrDefaultAsync(f => f.Id == id, cancellationToken);
        if (form is null)
        {
            return Problems.NotFound("web form");
        }

        ETags.Set(response, form.Version);
        return TypedResults.Ok(form.ToResponse());
    }
}
