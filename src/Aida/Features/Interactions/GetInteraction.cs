using Aida.Platform.Data;
using Aida.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Aida.Features.Interactions;

public static class GetInteraction
{
    public static async Task<Results<Ok<InteractionResponse>, ProblemHttpResult>> Handle(
        Guid id, AidaDb db, HttpResponse response, CancellationToken cancellationToken)
    {
        var interaction = await db.Set<Interaction>().AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (interaction is null)
        {
            return Problems.NotFound("interaction");
        }

        ETags.Set(response, interaction.Version);
        return TypedResults.Ok(interaction.ToResponse());
    }
}
